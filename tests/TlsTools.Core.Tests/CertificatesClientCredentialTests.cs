using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using TlsTools.Certificates;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>
/// The files a client certificate comes in, made by openssl (a tool nobody here wrote): a root, an intermediate and the
/// client certificates it issues, their keys in every PEM form openssl writes, a PFX with the chain.
/// </summary>
public sealed class ClientCredentialFiles : IDisposable
{
    public ClientCredentialFiles()
    {
        Dir = Path.Combine(Path.GetTempPath(), "tlstools-clientcred-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
        File.WriteAllText(P("ca.ext"), "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n");
        File.WriteAllText(P("client.ext"), "extendedKeyUsage=clientAuth\n");
        OpenSsl("req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.crt -days 30 -subj /CN=Test-Root-CA");
        OpenSsl("req -newkey rsa:2048 -nodes -keyout int.key -out int.csr -subj /O=Example/CN=Test-Client-CA");
        OpenSsl("x509 -req -in int.csr -CA root.crt -CAkey root.key -CAcreateserial -out int.crt -days 30 -extfile ca.ext");
        // RSA: PKCS#8 as openssl writes it by default, PKCS#1 ("traditional"), both encrypted too.
        OpenSsl("req -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.csr -subj /CN=alice");
        OpenSsl("x509 -req -in rsa.csr -CA int.crt -CAkey int.key -CAcreateserial -out rsa.crt -days 10 -extfile client.ext");
        OpenSsl("rsa -in rsa.key -traditional -out rsa.pkcs1.key");
        OpenSsl("pkcs8 -topk8 -in rsa.key -out rsa.enc.key -passout pass:secret");
        OpenSsl("rsa -in rsa.key -traditional -aes256 -out rsa.pkcs1.enc.key -passout pass:secret");
        // ECDSA P-256, SEC1 ("EC PRIVATE KEY").
        OpenSsl("ecparam -name prime256v1 -genkey -noout -out ec.key");
        OpenSsl("req -new -key ec.key -out ec.csr -subj /CN=bob");
        OpenSsl("x509 -req -in ec.csr -CA int.crt -CAkey int.key -CAcreateserial -out ec.crt -days 10 -extfile client.ext");
        Concat("rsa.pem", "rsa.crt", "int.crt", "rsa.key");
        Concat("rsa.pkcs1.pem", "rsa.pkcs1.key", "rsa.crt");
        Concat("rsa.enc.pem", "rsa.crt", "rsa.enc.key");
        Concat("rsa.pkcs1.enc.pem", "rsa.crt", "rsa.pkcs1.enc.key");
        Concat("ec.pem", "ec.crt", "ec.key");
        Concat("mismatch.pem", "rsa.crt", "ec.key");
        Concat("chain.crt", "int.crt", "root.crt");
        OpenSsl("pkcs12 -export -in rsa.crt -inkey rsa.key -certfile chain.crt -out rsa.pfx -passout pass:secret");
        OpenSsl("pkcs12 -export -in ec.crt -inkey ec.key -out ec.pfx -passout pass:secret");
        OpenSsl("pkcs12 -export -in rsa.crt -nokeys -out nokey.pfx -passout pass:secret");
        OpenSsl("x509 -in rsa.crt -outform DER -out rsa.der");
    }

    public string Dir { get; }
    public string P(string name) => Path.Combine(Dir, name);

    void Concat(string target, params string[] parts) => File.WriteAllText(P(target), string.Concat(parts.Select(p => File.ReadAllText(P(p)))));

    void OpenSsl(string arguments)
    {
        var start = new ProcessStartInfo("openssl", arguments) { WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"openssl {arguments}: {output}");
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

public class CertificatesClientCredentialTests : IClassFixture<ClientCredentialFiles>
{
    static readonly char[] Secret = "secret".ToCharArray();
    readonly ClientCredentialFiles _files;

    public CertificatesClientCredentialTests(ClientCredentialFiles files) { _files = files; }

    /// <summary>The credential's private key is the one of its certificate (the public halves agree).</summary>
    static void AssertKeyBelongsToCertificate(ClientCredential credential)
    {
        var key = PrivateKeyFactory.CreateKey(credential.PrivateKeyInfo);
        var publicKey = DotNetUtilities.FromX509Certificate(credential.Certificate).GetPublicKey();
        switch (key)
        {
            case RsaPrivateCrtKeyParameters rsa:
                Assert.Equal(((RsaKeyParameters)publicKey).Modulus, rsa.Modulus);
                break;
            case ECPrivateKeyParameters ec:
                Assert.Equal(((ECPublicKeyParameters)publicKey).Q.Normalize().AffineXCoord.ToBigInteger(), ec.Parameters.G.Multiply(ec.D).Normalize().AffineXCoord.ToBigInteger());
                break;
            default:
                Assert.Fail($"unexpected key {key.GetType().Name}");
                break;
        }
    }

    [Fact]
    public void APfxGivesTheLeafThenItsIntermediateWithoutTheRoot()
    {
        var credential = ClientCredentialLoader.FromFile(_files.P("rsa.pfx"), Secret);
        Assert.Equal(new[] { "CN=alice", "CN=Test-Client-CA, O=Example" }, credential.Chain.Select(c => c.Subject));
        Assert.Equal(_files.P("rsa.pfx"), credential.Source);
        Assert.Equal(Thumbprints.Sha256(credential.Certificate), credential.Thumbprint);
        AssertKeyBelongsToCertificate(credential);
    }

    [Theory]
    [InlineData("rsa.pem", null, "CN=alice", 2)]            // PKCS#8, the certificate then its issuer, then the key
    [InlineData("rsa.pkcs1.pem", null, "CN=alice", 1)]      // PKCS#1 "RSA PRIVATE KEY", key first
    [InlineData("rsa.enc.pem", "secret", "CN=alice", 1)]    // encrypted PKCS#8
    [InlineData("rsa.pkcs1.enc.pem", "secret", "CN=alice", 1)] // OpenSSL's legacy Proc-Type encryption
    [InlineData("ec.pem", null, "CN=bob", 1)]               // SEC1 "EC PRIVATE KEY"
    [InlineData("ec.pfx", "secret", "CN=bob", 1)]
    public void EveryFormOpenSslWritesLoads(string file, string? password, string subject, int chainLength)
    {
        var credential = ClientCredentialLoader.FromFile(_files.P(file), password?.ToCharArray());
        Assert.Equal(subject, credential.Certificate.Subject);
        Assert.Equal(chainLength, credential.Chain.Count);
        AssertKeyBelongsToCertificate(credential);
    }

    [Theory]
    [InlineData("rsa.pfx", "CN=alice")]
    [InlineData("ec.pfx", "CN=bob")]
    public void AnX509Certificate2WithItsKeyLoads(string file, string subject)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(_files.P(file), "secret", X509KeyStorageFlags.Exportable);
        var credential = ClientCredentialLoader.FromCertificate(certificate);
        Assert.Equal(subject, credential.Certificate.Subject);
        Assert.Single(credential.Chain);
        AssertKeyBelongsToCertificate(credential);
        // SslStream gets the caller's own object.
        Assert.Same(certificate, ClientCredentialLoader.PlatformCertificate(credential));
    }

    [Fact]
    public void APemCredentialGivesSslStreamACertificateWithItsKey()
    {
        var credential = ClientCredentialLoader.FromFile(_files.P("ec.pem"), null);
        var platform = ClientCredentialLoader.PlatformCertificate(credential);
        Assert.True(platform.HasPrivateKey);
        Assert.Equal(credential.Certificate.Thumbprint, platform.Thumbprint);
        Assert.Same(platform, ClientCredentialLoader.PlatformCertificate(credential));
    }

    [Theory]
    [InlineData("rsa.pfx", "wrong", CertificateFileError.WrongPassword, "the password is wrong")]
    [InlineData("rsa.pfx", null, CertificateFileError.WrongPassword, "no password was given")]
    [InlineData("rsa.enc.pem", "wrong", CertificateFileError.WrongPassword, "the password is wrong")]
    [InlineData("rsa.enc.pem", null, CertificateFileError.WrongPassword, "no password was given")]
    [InlineData("rsa.pkcs1.enc.pem", "wrong", CertificateFileError.WrongPassword, "the password is wrong")]
    [InlineData("rsa.crt", null, CertificateFileError.NoPrivateKey, "a PEM file without a private key")]
    [InlineData("rsa.der", null, CertificateFileError.NoPrivateKey, "a DER certificate without a private key")]
    [InlineData("nokey.pfx", "secret", CertificateFileError.NoPrivateKey, "a PFX file without a private key")]
    [InlineData("rsa.key", null, CertificateFileError.InvalidContent, "a private key but no certificate")]
    [InlineData("ca.ext", null, CertificateFileError.InvalidContent, "neither a PFX/P12 file nor PEM")]
    [InlineData("mismatch.pem", null, CertificateFileError.KeyMismatch, "belongs to none of its 1 certificate(s) (CN=alice)")]
    [InlineData("missing.pfx", null, CertificateFileError.FileNotFound, "does not exist")]
    public void AFileThatCannotBeUsedSaysWhy(string file, string? password, CertificateFileError error, string message)
    {
        var e = Assert.Throws<CertificateFileException>(() => ClientCredentialLoader.FromFile(_files.P(file), password?.ToCharArray()));
        Assert.Equal(error, e.Error);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ACertificateWithoutItsKeyIsNoPrivateKey()
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(_files.P("rsa.crt"));
        var e = Assert.Throws<CertificateFileException>(() => ClientCredentialLoader.FromCertificate(certificate));
        Assert.Equal(CertificateFileError.NoPrivateKey, e.Error);
        Assert.Contains("'CN=alice' has no private key", e.Message);
    }
}
