package com.cruddur.batch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/** The clients' https part is made on the first https connection, and plain http never makes it. */
class TlsOnFirstUseTest {

    private ServerSocket server;
    private int port;

    /** Answers whatever arrives with a plain-http 200, as an emulator would. */
    @BeforeEach
    void plainHttpServer() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        port = server.getLocalPort();
        Thread answering = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    socket.getInputStream().read(new byte[8192]);
                    socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
                            .getBytes(StandardCharsets.US_ASCII));
                }
                catch (IOException e) {
                    // closed
                }
            }
        });
        answering.setDaemon(true);
        answering.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void plainHttpNeverMakesTlsAndHttpsGoesThroughTls() throws Exception {
        TlsOnFirstUse tls = new TlsOnFirstUse();
        try (SdkHttpClient http = ApacheHttpClient.builder().socketFactory(tls).build()) {
            HttpExecuteResponse response = get(http, "http://127.0.0.1:" + port + "/").call();
            assertThat(response.httpResponse().statusCode()).isEqualTo(200);
            assertThat(tls.made()).isFalse();

            // The same server spoken to over https: the client starts a TLS handshake, which a plain-http
            // server cannot answer. Without TLS on the https scheme this request would get the 200 above.
            assertThatThrownBy(() -> get(http, "https://127.0.0.1:" + port + "/").call())
                    .isInstanceOf(SSLException.class);
            assertThat(tls.made()).isTrue();
        }
    }

    @Test
    void theClientsBuilderUsesIt() throws Exception {
        try (SdkHttpClient http = TlsOnFirstUse.httpClient().build()) {
            assertThat(get(http, "http://127.0.0.1:" + port + "/").call().httpResponse().statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> get(http, "https://127.0.0.1:" + port + "/").call())
                    .isInstanceOf(SSLException.class);
        }
    }

    private static ExecutableHttpRequest get(SdkHttpClient http, String url) {
        return http.prepareRequest(HttpExecuteRequest.builder()
                .request(SdkHttpRequest.builder().uri(URI.create(url)).method(SdkHttpMethod.GET).build())
                .build());
    }
}
