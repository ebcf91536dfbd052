package com.cruddur.batch.export;

/**
 * The names that {@link TableExportJobConfiguration} and {@link TableImportJobConfiguration} still refer to;
 * this class goes once those configurations read {@link TableExportParameters} and {@link TableImportParameters}.
 */
public final class ExportJobs {

    public static final String TABLE_EXPORT = TableExportParameters.JOB;
    public static final String TABLE_IMPORT = TableImportParameters.JOB;

    private ExportJobs() {
    }
}
