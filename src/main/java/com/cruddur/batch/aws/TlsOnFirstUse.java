package com.cruddur.batch.aws;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import org.apache.http.HttpHost;
import org.apache.http.conn.socket.LayeredConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLInitializationException;
import org.apache.http.protocol.HttpContext;
import software.amazon.awssdk.http.SystemPropertyTlsKeyManagersProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.internal.conn.SdkTlsSocketFactory;

/**
 * The https socket factory of the Apache HTTP client, made on the first https connection. The SDK makes
 * its TLS context (the JDK's trust store parsed) and host-name verifier (the public-suffix list) when a
 * client is built: a tenth of the main thread of a {@code list-tables} launch, spent for nothing when the
 * endpoint is a plain-http emulator. Made here it is the SDK's own default: {@link SdkTlsSocketFactory} on
 * a "TLS" context with the key managers of the {@code javax.net.ssl.keyStore} properties and the JDK's
 * trust managers, and Apache's default host-name verifier.
 */
final class TlsOnFirstUse implements LayeredConnectionSocketFactory {

    private volatile SSLConnectionSocketFactory tls;

    /** Apache's builder for the SDK clients: a 5 s connect timeout and TLS made on first use. */
    static ApacheHttpClient.Builder httpClient() {
        return ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                .socketFactory(new TlsOnFirstUse());
    }

    SSLConnectionSocketFactory tls() {
        SSLConnectionSocketFactory made = tls;
        if (made == null) {
            synchronized (this) {
                made = tls;
                if (made == null) {
                    try {
                        SSLContext context = SSLContext.getInstance("TLS");
                        context.init(SystemPropertyTlsKeyManagersProvider.create().keyManagers(), null, null);
                        made = new SdkTlsSocketFactory(context, SSLConnectionSocketFactory.getDefaultHostnameVerifier());
                    }
                    catch (GeneralSecurityException e) {
                        throw new SSLInitializationException(e.getMessage(), e);
                    }
                    tls = made;
                }
            }
        }
        return made;
    }

    /** Whether the TLS part has been made (tests). */
    boolean made() {
        return tls != null;
    }

    @Override
    public Socket createSocket(HttpContext context) throws IOException {
        return tls().createSocket(context);
    }

    @Override
    public Socket connectSocket(int connectTimeout, Socket socket, HttpHost host, InetSocketAddress remoteAddress,
            InetSocketAddress localAddress, HttpContext context) throws IOException {
        return tls().connectSocket(connectTimeout, socket, host, remoteAddress, localAddress, context);
    }

    @Override
    public Socket createLayeredSocket(Socket socket, String target, int port, HttpContext context) throws IOException {
        return tls().createLayeredSocket(socket, target, port, context);
    }
}
