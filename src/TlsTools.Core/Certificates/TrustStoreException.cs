using System;

namespace TlsTools.Certificates;

/// <summary>What was wrong with a trusted-root file; the cmdlet picks its ErrorCategory from this.</summary>
public enum TrustStoreError
{
    /// <summary>The file does not exist (ErrorCategory.ObjectNotFound).</summary>
    FileNotFound,
    /// <summary>The file exists but could not be read (ErrorCategory.ReadError / PermissionDenied).</summary>
    Unreadable,
    /// <summary>The file was read but holds no usable certificate (ErrorCategory.InvalidData).</summary>
    InvalidContent,
}

/// <summary>A trusted-root file that cannot be used. The message names the file and what is wrong with it.</summary>
public sealed class TrustStoreException : Exception
{
    public TrustStoreException(TrustStoreError error, string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        Path = path;
    }

    public TrustStoreError Error { get; }
    public string Path { get; }
}
