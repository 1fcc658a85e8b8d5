<#
    A real nginx on a free 127.0.0.1 port, configured by the test: one TLS server block with the certificate given and
    the directives the test adds (ssl_protocols, ssl_ciphers, add_header Strict-Transport-Security ...). Stopped by
    Stop-TestServer / Stop-AllTestServer like every other helper server; its folder goes with it.
#>

function Start-NginxServer {
    <#
    .SYNOPSIS
        Starts nginx (daemon off, one process) serving -Cert/-Key on 127.0.0.1, with -Directive lines inside its
        server block, and returns once the port accepts connections. / answers 200 "ok".
    .PARAMETER Chain
        Intermediates to send after the leaf (appended to the certificate file nginx serves).
    .OUTPUTS
        The Start-TestProcess object (Address, Port, Target, LogPath).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Cert,
        [Parameter(Mandatory)] [string] $Key,
        [string] $Chain,
        [string[]] $Directive = @()
    )
    $nginx = Assert-TestTool nginx -Package nginx
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-nginx-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Force -Path (Join-Path $dir 'logs') | Out-Null
    $served = Join-Path $dir 'served.pem'
    Set-Content -LiteralPath $served -NoNewline -Value ((@($Cert) + @($Chain | Where-Object { $_ }) | ForEach-Object { Get-Content -Raw -LiteralPath $_ }) -join '')
    $port = Get-FreeTcpPort
    $lines = ($Directive | ForEach-Object { "        $_" }) -join "`n"
    Set-Content -LiteralPath (Join-Path $dir 'nginx.conf') -Value @"
daemon off;
master_process off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
    server {
        listen 127.0.0.1:$port ssl;
        ssl_certificate $served;
        ssl_certificate_key $Key;
$lines
        location / { return 200 "ok\n"; }
    }
}
"@
    Start-TestProcess -Name 'nginx' -File $nginx -Arguments @('-p', $dir, '-c', (Join-Path $dir 'nginx.conf')) -Port $port -Cleanup $dir
}
