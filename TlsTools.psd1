@{
    RootModule           = 'TlsTools.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5d0b7a8e-3f5c-4f0e-9a59-2c1f7f0f6a11'
    Author               = 'TlsTools contributors'
    CompanyName          = 'TlsTools'
    Copyright            = '(c) TlsTools contributors. MIT License.'
    Description          = 'Tells why a TLS handshake fails and what to change, and proves a server''s TLS set-up good or bad, as PowerShell objects.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    # Imported before the RootModule: it makes deps/TlsTools.Core.dll and deps/BouncyCastle.Cryptography.dll load into
    # the module's own AssemblyLoadContext on PowerShell 7 (plainly on 5.1), so no other module's BouncyCastle clashes.
    NestedModules        = @('TlsTools.Loader.dll')
    FormatsToProcess     = @('TlsTools.format.ps1xml')
    TypesToProcess       = @('TlsTools.types.ps1xml')
    CmdletsToExport      = @('Test-TlsHandshake', 'Get-TlsProtocolSupport', 'Get-CipherSupport', 'Get-CertificateChain', 'Export-CertificateChain', 'Resolve-TlsError', 'Start-TlsTestServer', 'Get-TlsTestServer', 'Stop-TlsTestServer', 'Read-TlsCapture', 'Compare-TlsResult', 'Test-TlsServer')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('TLS', 'SSL', 'Certificate', 'X509', 'Handshake', 'Diagnostics', 'Security', 'HTTPS', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = @'
0.1.0
- Test-TlsHandshake: one real handshake per target with the managed (BouncyCastle) and/or platform (SslStream)
  engine; every failure classified into one FailureCategory with the evidence and the remedy.
- Start-/Get-/Stop-TlsTestServer: local servers on 127.0.0.1 that reproduce each misconfiguration, with a
  fresh in-memory PKI, for checking how clients and scripts react to each failure.
- Get-TlsProtocolSupport, Get-CipherSupport: wire-level scans SSLv2..TLS 1.3, every IANA suite, rated, in server
  order, with groups; a connection count on every row.
- Get-CertificateChain, Export-CertificateChain: the chain as served or from files, every problem named, AIA repair,
  OCSP/CRL, and the bundle to install.
- Resolve-TlsError: alerts, error messages, exceptions and server log lines turned into cause and remedy.
- Read-TlsCapture: every TLS connection of a pcap/pcapng file with its outcome and cause, JA3/JA4.
- -Proxy (HTTP CONNECT, SOCKS5) and -StartTls on every network cmdlet.
- Test-TlsServer: one assessment per server: the SSL Labs grade (rating guide 2009r, every cap with its reason),
  Mozilla Server Side TLS 6.0 modern/intermediate compliance with every deviation (-Profile for a custom file),
  findings with the configuration that fixes them (nginx, Apache, HAProxy, IIS/Windows, Postfix, Dovecot), HSTS
  from one bounded GET of /, -Quiet/-MinimumGrade for scripts; built on the scanners' probes plus one handshake.
- -ClientCertificate / -Password on every network cmdlet (mutual TLS); a refused client certificate is explained.
- Firewall symptoms named: MiddleboxBlocking (the ClientHello reset or swallowed while plain bytes pass), PathMtuStall
  (small TCP segments get through where full-size ones stall); -CompareServerName (SniRouting); -ExpectedThumbprint
  and an inspection-product table (InterceptionSuspected); Compare-TlsResult. All of it in every network cmdlet:
  the scanners' rows carry FailureCategory, InterceptionSuspected and ServerNameBehavior, Get-CertificateChain names
  the cause in its error and SniRouting / InterceptionSuspected / LocallyAddedRoot as chain problems.
- Test-TlsHandshake offers ALPN as browsers do (h2, http/1.1; none with -StartTls), reports ApplicationProtocol, and
  takes -ApplicationProtocol; no_application_protocol names what was offered.
- On PowerShell 7 TlsTools.Core and BouncyCastle.Cryptography load into an AssemblyLoadContext of the module's own
  (from the module's deps/ folder, through the nested TlsTools.Loader.dll), so a module that brings another
  BouncyCastle version can be imported beside it, in either order; Windows PowerShell 5.1 loads them plainly.
- One rating everywhere: Get-CipherSupport rates DHE rows by their group (under 2048 bits Weak, under 1024 Insecure)
  and ECDHE rows by their curve, with the rule Test-TlsHandshake uses for its weak-DH verdict. Get-TlsProtocolSupport
  rows carry Rating and RatingReason (SSLv2/SSLv3 Insecure, TLS 1.0/1.1 Deprecated per RFC 8996, TLS 1.2/1.3
  Secure) and, for a bad version the server accepts, a Remedy. CipherSuiteRating gains the value Deprecated.
- One thumbprint: CertificateThumbprint is the SHA-256 of the certificate in every result type. Breaking:
  Test-TlsHandshake's CertificateThumbprint was SHA-1, and Get-CertificateChain's Thumbprint column is renamed
  CertificateThumbprint (no alias, which would add a duplicate column to Export-Csv). -ExpectedThumbprint still
  takes SHA-1 or SHA-256 and binds from a CertificateThumbprint or Thumbprint column; an empty one is no pin.
  Compare-TlsResult between a CSV written before and one written after sees a different certificate key.
- -TimeoutSec bounds each target as a whole, follow-ups included, in every network cmdlet: a silent server with
  -TimeoutSec 2 now answers in 2 s (was 4.1 s), with -TimeoutSec 5 in 5 s (was 8 s). The path follow-ups start beside
  a handshake still waiting at half time, -Engine Both runs both engines side by side, a scan's probes wait at most half
  the budget, and a follow-up or probe with no time left is not started: the result says what was not checked
  ("Not checked: ... (no time left within -TimeoutSec N)"), and -Verbose ends each target with the budget it used.
- Start-TlsTestServer: the DripFeed scenario (a ServerHello dripped one byte every 2 s; ExpectedFailure HandshakeTimeout).
- Resolve-TlsError: one result per cause, most important first ("NotTimeValid, PartialChain" gives CertificateExpired,
  then IncompleteChain); a -Message that matches nothing gives one Unknown result that says so; the default table
  shows Category and Remedy; about 500 known texts (Node.js, Apache AH0xxxx, HAProxy, Postfix, Dovecot, Java, Go,
  Python, curl, wget, Schannel SEC_E_*/CERT_E_* and events, Invoke-WebRequest/Invoke-RestMethod).
- Succeeded means a strict modern client would trust the connection: Test-TlsHandshake judges the served chain with
  Get-CertificateChain's validator, so a stapled "revoked" OCSP response is CertificateRevoked (-CheckRevocation
  asks the responders), an issuer that is not a CA is UntrustedRoot, a leaf without a DNS subjectAltName is
  NameMismatch; problems browsers tolerate (ExpiresSoon, ValidityTooLong, ...) are listed in CertificateProblems
  (and CertificateFindings) without failing.
- Breaking change (0.x, before 1.0): FailureCategory WeakKeyExchange is removed; it splits into WeakDhGroup,
  WeakCertificateKey and WeakSignature, each with its own remedy. Scripts that test for WeakKeyExchange must test
  for those three.
- Every verdict names the rule that decided it: DiagnosisRule on Test-TlsHandshake, Read-TlsCapture and the scanners'
  rows (HandshakeTrusted, CertificateRefused, NegotiationRejected, UnofferedSuiteChosen, ...), narrated by -Verbose.
  The rules are one ordered table fed by typed wire evidence: the records and handshake messages each side sent, in
  order and with their arrival times, the alerts with their sender, how TCP ended and by whom. No verdict is made
  from a TLS library's exception text.
- New categories: ProtocolViolation (the server sent something TLS forbids: an unoffered suite, group or version, a
  second HelloRetryRequest, a length that disagrees with its record or exceeds sane bounds, an undecodable
  certificate, an undefined alert, application data before Finished, an over-long record, a malformed SSLv2 record;
  the reason quotes the bytes) and ConnectionClosed (a FIN without an alert, saying after which message).
  Breaking (0.x): a server FIN right after the ClientHello was ConnectionReset and is now ConnectionClosed;
  ConnectionReset means a TCP RST only.
- Start-TlsTestServer: 13 broken servers (Garbage, OversizedRecord, EndlessRecords, TruncatedServerHello,
  UnofferedSuite, UnofferedVersion, HelloRetryLoop, HugeCertificateMessage, UndecodableCertificate, UndefinedAlert,
  DataBeforeHandshake, CloseAfterHello, Ssl2Garbage); every scenario has an ExpectedRule beside its ExpectedFailure.
- Read-TlsCapture says who ended each connection, with what and after which message (EndedBy, EndedWith, EndedAfter,
  ServerSilenceMs, Timeline): a client's protocol_version after an old ServerHello is ProtocolVersionMismatch, a
  client giving up on a silent server is ServerSilent, a client's certificate alert is explained by validating the
  captured chain (-TrustedRootPath adds trust anchors).
- -Engine Platform judges SslStream's refusals from the alert this machine's stack sent on the wire.
- One alert table (RFC 8446 / IANA), with the cause by sender: bad_certificate (42) from a client is a certificate
  problem, from a server a refused client certificate.
- Type names: TlsTools.Handshake.TranscriptEntry is now TlsTools.TranscriptEntry, TlsTools.Net.StartTlsProtocol
  TlsTools.StartTlsProtocol, TlsTools.Catalog.CipherSuiteRating TlsTools.CipherSuiteRating (every type a cmdlet
  writes is in namespace TlsTools).
'@
        }
    }
}
