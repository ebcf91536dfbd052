package com.cruddur.batch.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import com.cruddur.batch.support.CognitoStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/**
 * The reader's paging, restart position, expired tokens and rate limit. cognito-local returns every
 * user in one page and ignores Limit, so this runs the real SDK client against {@link CognitoStub},
 * a protocol-level STUB of ListUsers (AWS JSON 1.1), not against an emulator.
 */
class CognitoUserReaderTest {

    static final List<CognitoStub.User> USERS = IntStream.rangeClosed(1, 130)
            .mapToObj(i -> CognitoStub.User.of(String.format("user%03d", i), "User " + i)).toList();

    CognitoStub stub;
    CognitoIdentityProviderClient client;

    @BeforeEach
    void start() {
        stub = new CognitoStub(USERS);
        client = CognitoIdentityProviderClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        stub.close();
    }

    private CognitoUserReaderBuilder reader() {
        return CognitoUserReader.builder().client(client).userPoolId("us-east-1_Stub").requestsPerSecond(1000);
    }

    private static List<String> handles(CognitoUserReader reader, int max) {
        List<String> handles = new ArrayList<>();
        for (UserType user; handles.size() < max && (user = reader.read()) != null;) {
            handles.add(CognitoUser.from(user).preferredUsername());
        }
        return handles;
    }

    private static List<String> expected(int from, int to) {
        return USERS.subList(from - 1, to).stream().map(CognitoStub.User::preferredUsername).toList();
    }

    @Test
    void readsEveryPageFollowingThePaginationTokens() {
        CognitoUserReader reader = reader().build();
        reader.open(new ExecutionContext());

        assertThat(handles(reader, Integer.MAX_VALUE)).isEqualTo(expected(1, 130));
        assertThat(stub.requests()).extracting(CognitoStub.Request::token)
                .containsExactly(null, stub.tokenFor(60), stub.tokenFor(120));
        assertThat(stub.requests()).extracting(CognitoStub.Request::limit).containsOnly(60);
        assertThat(reader.pagesFetched()).isEqualTo(3);
    }

    /** A first run that hands out 70 users (pages of 50) and commits: the context a restart gets. */
    private ExecutionContext savedAfterFirst70UsersInPagesOf50() {
        CognitoUserReader first = reader().pageSize(50).build();
        ExecutionContext context = new ExecutionContext();
        first.open(context);
        assertThat(handles(first, 70)).isEqualTo(expected(1, 70));
        first.update(context);
        first.close();
        return context;
    }

    @Test
    void aRestartContinuesAtThePositionSavedAsPlainValues() {
        ExecutionContext context = savedAfterFirst70UsersInPagesOf50();

        assertThat(context.getString("cognitoUserReader.page.token")).isEqualTo(stub.tokenFor(50));
        assertThat(context.getInt("cognitoUserReader.page.offset")).isEqualTo(20);
        stub.requests().clear();

        CognitoUserReader resumed = reader().pageSize(50).build();
        resumed.open(context);
        assertThat(handles(resumed, Integer.MAX_VALUE)).isEqualTo(expected(71, 130));
        assertThat(stub.requests()).extracting(CognitoStub.Request::token)
                .containsExactly(stub.tokenFor(50), stub.tokenFor(100));
    }

    @Test
    void aRestartFindsItsPlaceByUsernameWhenAUserBeforeItWasDeleted() {
        ExecutionContext context = savedAfterFirst70UsersInPagesOf50();
        assertThat(context.getString("cognitoUserReader.page.last-username")).isEqualTo(USERS.get(69).username());

        // Between the failed run and the restart, a user the first run already wrote leaves the pool:
        // the saved page now starts one user later, so counting 20 users off it would skip user071.
        stub.deleteUser(USERS.get(9).username());
        CognitoUserReader resumed = reader().pageSize(50).build();
        resumed.open(context);
        assertThat(handles(resumed, Integer.MAX_VALUE)).isEqualTo(expected(71, 130));
    }

    @Test
    void aSavedTokenThatExpiredStartsTheListingOver() {
        CognitoUserReader first = reader().build();
        ExecutionContext context = new ExecutionContext();
        first.open(context);
        handles(first, 70);
        first.update(context);
        stub.expireTokens();

        CognitoUserReader resumed = reader().build();
        resumed.open(context);
        assertThat(handles(resumed, Integer.MAX_VALUE)).isEqualTo(expected(1, 130));
        assertThat(resumed.listingRestarts()).isEqualTo(1);
        assertThat(stub.requests().subList(2, stub.requests().size())).extracting(CognitoStub.Request::answer)
                .containsExactly("invalid token", "page 0-60", "page 60-120", "page 120-130");
        resumed.update(context);
        assertThat(context.getInt("cognitoUserReader.listing.restarts")).isEqualTo(1);
    }

    @Test
    void givesUpWhenTokensKeepExpiring() {
        CognitoUserReader reader = reader().maxListingRestarts(0).build();
        reader.open(new ExecutionContext());
        handles(reader, 10);
        stub.expireTokens();

        assertThatThrownBy(() -> handles(reader, Integer.MAX_VALUE))
                .isInstanceOf(CognitoUserReader.PaginationTokenRefusedException.class)
                .hasMessageContaining("us-east-1_Stub refused the pagination token of page 2 (it expired or is invalid: ")
                .hasMessageContaining("is invalid for request")
                .hasMessageEndingWith("stopped rather than list users twice")
                .hasNoCause();
    }

    @Test
    void spacesRequestsToTheRateLimit() {
        CognitoUserReader reader = reader().pageSize(20).requestsPerSecond(20).build();
        reader.open(new ExecutionContext());
        assertThat(handles(reader, Integer.MAX_VALUE)).hasSize(130);

        List<CognitoStub.Request> requests = stub.requests();
        assertThat(requests).hasSize(7);
        for (int i = 1; i < requests.size(); i++) {
            // 20 requests/s = one per 50 ms; 45 ms leaves room for clock granularity.
            assertThat((requests.get(i).nanoTime() - requests.get(i - 1).nanoTime()) / 1_000_000)
                    .as("ms between request %d and %d", i - 1, i).isGreaterThanOrEqualTo(45);
        }
    }
}
