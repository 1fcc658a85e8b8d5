using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsTools.Diagnosis;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>The SNI behaviour table and the SniRouting explanation, on hand-built attempts.</summary>
public class ServerNameComparisonTests
{
    static X509Certificate2 Cert(string name)
    {
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(name);
            request.CertificateExtensions.Add(san.Build());
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        }
    }

    static readonly X509Certificate2 Site = Cert("site.test"), Default = Cert("default.test");

    static ServerNameAttempt Got(X509Certificate2 leaf, string sent = "x") => new ServerNameAttempt { SentName = sent, Completed = true, Leaf = leaf };
    static ServerNameAttempt Refused(string? sent = "x") => new ServerNameAttempt { SentName = sent, Failure = "received fatal unrecognized_name (112)" };

    static ServerNameReport Report(ServerNameAttempt with, ServerNameAttempt without, ServerNameAttempt wrong) =>
        new ServerNameReport { ExpectedName = "site.test", WithName = with, WithoutName = without, WrongName = wrong };

    [Theory]
    [InlineData("site", "refused", "site", ServerNameBehavior.Required)]
    [InlineData("site", "default", "default", ServerNameBehavior.DefaultCertificateDiffers)]
    [InlineData("site", "site", "refused", ServerNameBehavior.UnknownNameRejected)]
    [InlineData("site", "site", "site", ServerNameBehavior.Ignored)]
    [InlineData("refused", "site", "site", ServerNameBehavior.Inconclusive)]
    public void TheBehaviourTable(string with, string without, string wrong, ServerNameBehavior expected)
    {
        ServerNameAttempt A(string s) => s == "refused" ? Refused() : Got(s == "site" ? Site : Default);
        Assert.Equal(expected, ServerNameComparer.Classify(Report(A(with), A(without), A(wrong))));
    }

    [Fact]
    public void ANameMappedToTheWrongCertificateByARoutingServerIsSniRouting()
    {
        // The server routes by name (no SNI: refused), yet answers site.test with default.test's certificate.
        var report = Report(Got(Default), Refused(null), Refused());
        report.Behavior = ServerNameComparer.Classify(report);
        var v = ServerNameComparer.ExplainMismatch(new Verdict(FailureCategory.NameMismatch, "x"), "site.test", Default, report);
        Assert.NotNull(v);
        Assert.Equal(FailureCategory.SniRouting, v.Category);
        Assert.Contains("for 'site.test' it presents CN=default.test", v.Reason);
        Assert.Contains("maps this name to the wrong certificate", v.Reason);
    }

    [Fact]
    public void AServerThatIgnoresSniKeepsNameMismatch()
    {
        var report = Report(Got(Default), Got(Default), Got(Default));
        report.Behavior = ServerNameComparer.Classify(report);
        Assert.Null(ServerNameComparer.ExplainMismatch(new Verdict(FailureCategory.NameMismatch, "x"), "site.test", Default, report));
    }
}
