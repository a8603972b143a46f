package dev.l7splice.it.tomcat;

import dev.l7splice.it.support.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A TLS client context that trusts any server: the tests' servers use a certificate made for the run. Tests only. */
public final class TrustAll {

    private TrustAll() {
    }

    public static SSLContext context() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    /** The SHA-256 of the body of a GET of {@code url} (https, any certificate and host name); fails on a status other than 200. */
    public static String sha256Of(String url) throws IOException, GeneralSecurityException {
        HttpsURLConnection c;
        try {
            c = (HttpsURLConnection) new URI(url).toURL().openConnection();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        c.setSSLSocketFactory(context().getSocketFactory());
        c.setHostnameVerifier((host, session) -> true);
        if (c.getResponseCode() != 200) {
            throw new IOException(url + ": " + c.getResponseCode());
        }
        try (InputStream in = c.getInputStream()) {
            return RawHttp.sha256Of(in);
        }
    }
}
