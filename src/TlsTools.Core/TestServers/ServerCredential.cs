using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.TestServers;

/// <summary>What a server presents: the chain exactly as it is sent (leaf first, unless a scenario says otherwise) and the leaf's key.</summary>
internal sealed class ServerCredential
{
    public ServerCredential(IEnumerable<BcCertificate> servedChain, AsymmetricKeyParameter privateKey)
    {
        ServedChain = servedChain.ToList();
        PrivateKey = privateKey;
    }

    public IReadOnlyList<BcCertificate> ServedChain { get; }
    public AsymmetricKeyParameter PrivateKey { get; }
    public bool IsEcdsa => PrivateKey is ECPrivateKeyParameters;
}
