package com.cruddur.batch.cognito;

import org.springframework.util.Assert;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/** Builds a {@link CognitoUserReader}; client and user pool id are required. */
public class CognitoUserReaderBuilder {

    /** ListUsers returns at most 60 users per page. */
    public static final int MAX_PAGE_SIZE = 60;
    /** Well under the 30 requests/s ListUsers quota, which every pool of the account shares. */
    public static final double DEFAULT_REQUESTS_PER_SECOND = 5;

    private CognitoIdentityProviderClient client;
    private String userPoolId;
    private int pageSize = MAX_PAGE_SIZE;
    private double requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
    private int maxListingRestarts = 3;
    private String name = "cognitoUserReader";

    public CognitoUserReaderBuilder client(CognitoIdentityProviderClient client) {
        this.client = client;
        return this;
    }

    public CognitoUserReaderBuilder userPoolId(String userPoolId) {
        this.userPoolId = userPoolId;
        return this;
    }

    /** Users per ListUsers request, 1 to 60. */
    public CognitoUserReaderBuilder pageSize(int pageSize) {
        this.pageSize = pageSize;
        return this;
    }

    public CognitoUserReaderBuilder requestsPerSecond(double requestsPerSecond) {
        this.requestsPerSecond = requestsPerSecond;
        return this;
    }

    /** How often an expired pagination token may send the listing back to the first page. */
    public CognitoUserReaderBuilder maxListingRestarts(int maxListingRestarts) {
        this.maxListingRestarts = maxListingRestarts;
        return this;
    }

    /** Prefix of the reader's keys in the ExecutionContext. */
    public CognitoUserReaderBuilder name(String name) {
        this.name = name;
        return this;
    }

    public CognitoUserReader build() {
        Assert.notNull(client, "a CognitoIdentityProviderClient is required");
        Assert.hasText(userPoolId, "a user pool id is required");
        Assert.isTrue(pageSize >= 1 && pageSize <= MAX_PAGE_SIZE, "pageSize must be 1 to " + MAX_PAGE_SIZE);
        Assert.isTrue(requestsPerSecond > 0, "requestsPerSecond must be above 0");
        Assert.isTrue(maxListingRestarts >= 0, "maxListingRestarts must be 0 or more");
        Assert.hasText(name, "a name is required");
        return new CognitoUserReader(client, userPoolId, pageSize, requestsPerSecond, maxListingRestarts, name);
    }
}
