import javax.net.ssl.*;
import java.io.*;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;

/**
 * Makes one TLS connection per argument "id|port|caFile-or-dash|hostName|cipherSuite-or-dash" to 127.0.0.1 and prints
 * "id<TAB>exception" (or "id<TAB>ok"), so tests/ResolveTlsError.Tests.ps1 gets JSSE's real error texts in one JVM start.
 */
public class TlsErrorProbe {
    public static void main(String[] args) throws Exception {
        for (String spec : args) {
            String[] f = spec.split("\\|");
            System.out.println(f[0] + "\t" + connect(Integer.parseInt(f[1]), f[2], f[3], f[4]));
        }
    }

    static String connect(int port, String caFile, String host, String cipher) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile.equals("-")) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                try (InputStream in = new FileInputStream(caFile)) {
                    ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
                }
                tmf.init(ks);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
                s.setSoTimeout(10000);
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setServerNames(List.of(new SNIHostName(host)));
                if (!cipher.equals("-")) p.setCipherSuites(new String[] { cipher });
                s.setSSLParameters(p);
                s.startHandshake();
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
                s.getInputStream().read();
                return "ok";
            }
        } catch (Exception e) {
            return e.toString().replace('\n', ' ');
        }
    }
}
