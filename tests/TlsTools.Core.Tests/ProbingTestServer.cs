using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace TlsTools.Core.Tests;

/// <summary>
/// An `openssl s_server` on 127.0.0.1 and a free port, for one test. Killed (by its own process id) on Dispose.
/// The certificate is made once per test run in a temporary directory.
/// </summary>
internal sealed class OpenSslTestServer : IDisposable
{
    private static readonly Lazy<string> CertificateDirectory = new Lazy<string>(MakeCertificate);
    private readonly Process _process;
    private readonly StringBuilder _output = new StringBuilder();

    private OpenSslTestServer(Process process, int port)
    {
        _process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Starts s_server with extra arguments (e.g. "-tls1_2 -cipher AES256-SHA") and waits until it listens.</summary>
    public static OpenSslTestServer Start(string arguments)
    {
        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort();
            string dir = CertificateDirectory.Value;
            var psi = new ProcessStartInfo("openssl",
                $"s_server -accept 127.0.0.1:{port} -cert \"{Path.Combine(dir, "c.pem")}\" -key \"{Path.Combine(dir, "k.pem")}\" -www {arguments}")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            };
            var process = Process.Start(psi) ?? throw new InvalidOperationException("openssl s_server did not start");
            var server = new OpenSslTestServer(process, port);
            var listening = new ManualResetEventSlim();
            process.OutputDataReceived += (s, e) => { lock (server._output) server._output.AppendLine(e.Data); if (e.Data?.Contains("ACCEPT") == true) listening.Set(); };
            process.ErrorDataReceived += (s, e) => { lock (server._output) server._output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (listening.Wait(TimeSpan.FromSeconds(15))) return server;
            string output = server.Output;
            server.Dispose();
            if (attempt >= 2) throw new InvalidOperationException("openssl s_server did not start: " + output);
        }
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(); _process.WaitForExit(5000); }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string MakeCertificate()
    {
        string dir = Path.Combine(Path.GetTempPath(), "tlstools-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (s, e) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
        var psi = new ProcessStartInfo("openssl",
            "req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 -keyout k.pem -out c.pem")
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using (var p = Process.Start(psi) ?? throw new InvalidOperationException("openssl req did not start"))
        {
            p.StandardError.ReadToEnd();
            if (!p.WaitForExit(60000) || p.ExitCode != 0) throw new InvalidOperationException("openssl req failed");
        }
        return dir;
    }
}
