namespace TlsTools.Protocol
{
    /// <summary>One hello extension: its type and raw body.</summary>
    public sealed class TlsExtension
    {
        public TlsExtension(ushort type, byte[] data) { Type = type; Data = data ?? new byte[0]; }
        public ushort Type { get; }
        public byte[] Data { get; }
    }
}
