package com.cruddur.batch.cognito;

import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemStreamSupport;
import org.springframework.util.Assert;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ListUsersRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ListUsersResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/**
 * Every user of a Cognito user pool, through the SDK's ListUsers paginator ({@code Limit} up to 60,
 * {@code PaginationToken} from page to page). Throttling ({@code TooManyRequestsException}) is left
 * to the client's retry strategy, which backs off with jitter; on top of that the reader never
 * sends more than {@code requestsPerSecond} requests, since the ListUsers quota is shared by every
 * pool of the account.
 * <p>
 * Restart state is the position in the listing, as plain strings and numbers: the token that
 * fetched the current page ({@code page.token}, absent for the first page) and how many users of
 * that page were already handed out ({@code page.offset}), and the username of the last one
 * ({@code page.last-username}). The SDK paginator fits because it can begin at any token: a restart
 * builds a paginator whose first request carries the saved token, and passes over that page's users up
 * to the saved username. The offset is only the fallback when that user is gone: counting alone would
 * skip a user that moved up the listing because one before it was deleted between the runs.
 * A token that Cognito no longer accepts (they expire; the service answers InvalidParameterException
 * "Paging marker ... is invalid") makes the reader start the listing over from the first page,
 * which is safe for writers that are idempotent; it gives up after {@code maxListingRestarts}. With
 * {@code maxListingRestarts} 0 (for writers that append, which would write users twice) a refused token
 * throws {@link PaginationTokenRefusedException} at once.
 */
public class CognitoUserReader extends ItemStreamSupport implements ItemStreamReader<UserType> {

    private static final Logger log = LoggerFactory.getLogger(CognitoUserReader.class);

    static final String PAGE_TOKEN = "page.token";
    static final String PAGE_OFFSET = "page.offset";
    static final String PAGE_LAST_USERNAME = "page.last-username";
    static final String PAGES = "pages";
    static final String LISTING_RESTARTS = "listing.restarts";

    private final CognitoIdentityProviderClient client;
    private final String userPoolId;
    private final int pageSize;
    private final RequestRateLimiter rateLimiter;
    private final int maxListingRestarts;

    private Iterator<ListUsersResponse> pages;
    /** The token that the next page will be requested with; null before the first page. */
    private String nextPageToken;
    /** The token the current page was fetched with; null for the first page. */
    private String currentPageToken;
    private Iterator<UserType> currentPage = Collections.emptyIterator();
    private int offset;
    /** The username of the last user handed out from the current page. */
    private String lastUsername;
    /** Users of the first fetched page to pass over after a restart: they were written before. */
    private int skipOnFirstPage;
    /** After a restart, the first fetched page is passed over up to and including this user, when present. */
    private String skipThroughUsername;
    private long pagesFetched;
    private int listingRestarts;

    CognitoUserReader(CognitoIdentityProviderClient client, String userPoolId, int pageSize, double requestsPerSecond,
            int maxListingRestarts, String name) {
        this.client = client;
        this.userPoolId = userPoolId;
        this.pageSize = pageSize;
        this.rateLimiter = new RequestRateLimiter(requestsPerSecond);
        this.maxListingRestarts = maxListingRestarts;
        setName(name);
    }

    public static CognitoUserReaderBuilder builder() {
        return new CognitoUserReaderBuilder();
    }

    @Override
    public void open(ExecutionContext context) {
        String token = context.containsKey(getExecutionContextKey(PAGE_TOKEN)) ? context.getString(getExecutionContextKey(PAGE_TOKEN)) : null;
        int skip = context.getInt(getExecutionContextKey(PAGE_OFFSET), 0);
        String lastHandedOut = context.containsKey(getExecutionContextKey(PAGE_LAST_USERNAME))
                ? context.getString(getExecutionContextKey(PAGE_LAST_USERNAME)) : null;
        pagesFetched = context.getLong(getExecutionContextKey(PAGES), 0);
        listingRestarts = context.getInt(getExecutionContextKey(LISTING_RESTARTS), 0);
        if (token != null || skip > 0) {
            log.info("resuming the user listing of {} at page {} (offset {})", userPoolId, pagesFetched, skip);
        }
        startListing(token, skip, skip > 0 ? lastHandedOut : null);
    }

    @Override
    public UserType read() {
        while (!currentPage.hasNext()) {
            if (!pages.hasNext()) {
                return null;
            }
            fetchPage();
        }
        offset++;
        UserType user = currentPage.next();
        lastUsername = user.username();
        return user;
    }

    @Override
    public void update(ExecutionContext context) {
        if (currentPageToken != null) {
            context.putString(getExecutionContextKey(PAGE_TOKEN), currentPageToken);
        }
        else {
            context.remove(getExecutionContextKey(PAGE_TOKEN));
        }
        context.putInt(getExecutionContextKey(PAGE_OFFSET), offset);
        if (offset > 0 && lastUsername != null) {
            context.putString(getExecutionContextKey(PAGE_LAST_USERNAME), lastUsername);
        }
        else {
            context.remove(getExecutionContextKey(PAGE_LAST_USERNAME));
        }
        context.putLong(getExecutionContextKey(PAGES), pagesFetched);
        context.putInt(getExecutionContextKey(LISTING_RESTARTS), listingRestarts);
    }

    @Override
    public void close() {
        pages = null;
        currentPage = Collections.emptyIterator();
    }

    /** Number of pages fetched so far (over restarts); for tests and summaries. */
    public long pagesFetched() {
        return pagesFetched;
    }

    public int listingRestarts() {
        return listingRestarts;
    }

    private void startListing(String token, int skip, String skipThrough) {
        ListUsersRequest.Builder request = ListUsersRequest.builder().userPoolId(userPoolId).limit(pageSize);
        if (token != null) {
            request.paginationToken(token);
        }
        pages = client.listUsersPaginator(request.build()).iterator();
        nextPageToken = token;
        currentPageToken = token;
        currentPage = Collections.emptyIterator();
        offset = 0;
        lastUsername = null;
        skipOnFirstPage = skip;
        skipThroughUsername = skipThrough;
    }

    private void fetchPage() {
        String token = nextPageToken;
        ListUsersResponse page;
        try {
            rateLimiter.acquire();
            // The paginator sends the request here, in next(), not in hasNext().
            page = pages.next();
        }
        catch (InvalidParameterException e) {
            if (token == null) {
                throw e;
            }
            restartListing(e);
            return;
        }
        finally {
            rateLimiter.done();
        }
        pagesFetched++;
        currentPageToken = token;
        nextPageToken = page.paginationToken();
        List<UserType> users = page.users();
        int skip = skipOnFirstPage;
        if (skipThroughUsername != null) {
            for (int i = 0; i < users.size(); i++) {
                if (skipThroughUsername.equals(users.get(i).username())) {
                    skip = i + 1;
                    break;
                }
            }
        }
        skip = Math.min(skip, users.size());
        currentPage = users.listIterator(skip);
        offset = skip;
        lastUsername = skip > 0 ? users.get(skip - 1).username() : null;
        skipOnFirstPage = 0;
        skipThroughUsername = null;
    }

    private void restartListing(InvalidParameterException e) {
        listingRestarts++;
        String refusal = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        if (maxListingRestarts == 0) {
            // No cause: the run's reason line is the deepest cause's message, and this one says what to do.
            throw new PaginationTokenRefusedException("ListUsers of " + userPoolId + " refused the pagination token of page "
                    + (pagesFetched + 1) + " (it expired or is invalid: " + refusal + "); stopped rather than list "
                    + "users twice");
        }
        if (listingRestarts > maxListingRestarts) {
            throw new PaginationTokenRefusedException("ListUsers of " + userPoolId + " refused the pagination token "
                    + listingRestarts + " times; giving up: " + refusal);
        }
        log.warn("ListUsers of {} no longer accepts the saved pagination token ({}); starting the listing over "
                + "(users already written are written again, unchanged)", userPoolId, refusal);
        startListing(null, 0, null);
    }

    /** Cognito refused a pagination token and the listing may not (or may no longer) start over. */
    public static class PaginationTokenRefusedException extends ItemStreamException {

        public PaginationTokenRefusedException(String message) {
            super(message);
        }
    }

    /**
     * Starts a request no sooner than 1/rate seconds after the previous one ended (one reader, one
     * thread). Counting from the end, not the start, keeps the gaps as the service sees them at
     * least that long too, whatever the network latency did to the previous request.
     */
    static final class RequestRateLimiter {

        private final long intervalNanos;
        private long lastRequest = Long.MIN_VALUE;

        RequestRateLimiter(double requestsPerSecond) {
            Assert.isTrue(requestsPerSecond > 0, "requestsPerSecond must be above 0");
            this.intervalNanos = (long) (Duration.ofSeconds(1).toNanos() / requestsPerSecond);
        }

        void acquire() {
            if (lastRequest != Long.MIN_VALUE) {
                long wait = lastRequest + intervalNanos - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ItemStreamException("interrupted while waiting for the ListUsers rate limit", e);
                    }
                }
            }
        }

        void done() {
            lastRequest = System.nanoTime();
        }
    }
}
