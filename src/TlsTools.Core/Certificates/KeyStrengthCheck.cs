using System;
using System.Collections.Generic;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace TlsTools.Certificates;

/// <summary>The leaf's public key must be strong enough for current clients to accept it.</summary>
internal sealed class KeyStrengthCheck : ICertificateCheck
{
    private sealed class KeyRule
    {
        public KeyRule(string algorithm, Func<AsymmetricKeyParameter, int?> bitsOf, int minimumBits, string why)
        {
            Algorithm = algorithm;
            BitsOf = bitsOf;
            MinimumBits = minimumBits;
            Why = why;
        }

        public string Algorithm { get; }
        /// <summary>The key size if the key is of this algorithm, else null.</summary>
        public Func<AsymmetricKeyParameter, int?> BitsOf { get; }
        public int MinimumBits { get; }
        public string Why { get; }
    }

    // One row per key algorithm. DSA has no acceptable size: TLS 1.3 removed it and browsers dropped it.
    private static readonly KeyRule[] Rules =
    {
        new KeyRule("RSA", k => (k as RsaKeyParameters)?.Modulus.BitLength, 2048,
            "at least 2048 bits are required (CA/Browser Forum, NIST SP 800-131A)"),
        new KeyRule("DSA", k => (k as DsaPublicKeyParameters)?.Parameters?.P.BitLength, int.MaxValue,
            "DSA keys are no longer accepted by TLS clients; use RSA 2048+ or ECDSA P-256+"),
        new KeyRule("EC", k => (k as ECPublicKeyParameters)?.Parameters.Curve.FieldSize, 224,
            "curves below 224 bits (P-224) are not accepted; use P-256 or larger"),
    };

    public IEnumerable<CertificateProblem> Check(ValidationContext context)
    {
        var leaf = context.Path.Leaf;
        AsymmetricKeyParameter key;
        try { key = PublicKeys.Of(leaf.Parsed); }
        catch (Exception) { yield break; }   // an unknown key algorithm is not evidence of a weak key

        foreach (var rule in Rules)
        {
            var bits = rule.BitsOf(key);
            if (bits.HasValue && bits.Value < rule.MinimumBits)
                yield return new CertificateProblem(FailureCategory.WeakKeyExchange,
                    $"The certificate for {leaf.Subject} has a {bits.Value}-bit {rule.Algorithm} key; {rule.Why}.",
                    leaf.Certificate);
        }
    }
}
