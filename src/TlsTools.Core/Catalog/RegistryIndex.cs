using System;
using System.Collections.Generic;
using System.Linq;
using System.Diagnostics.CodeAnalysis;

namespace TlsTools.Catalog;

/// <summary>
/// Code and name lookups over one registry's entries; the shared machinery of every catalog.
/// Built once, read-only afterwards, so it is safe to share between threads.
/// </summary>
internal sealed class RegistryIndex<T> where T : class
{
    private readonly Dictionary<ushort, T> _byCode;
    private readonly Dictionary<string, T> _byName;

    public RegistryIndex(IEnumerable<T> entries, Func<T, ushort> code, Func<T, IEnumerable<string?>> names)
    {
        All = entries.ToList().AsReadOnly();
        _byCode = new Dictionary<ushort, T>();
        _byName = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in All)
        {
            // The first row wins: registries list a code once, but be deterministic if one ever repeats.
            if (!_byCode.ContainsKey(code(entry))) _byCode.Add(code(entry), entry);
            foreach (var name in names(entry).OfType<string>().Where(n => n.Length > 0))
                if (!_byName.ContainsKey(name)) _byName.Add(name, entry);
        }
    }

    public IReadOnlyList<T> All { get; }

    public bool TryGet(ushort code, [MaybeNullWhen(false)] out T entry) => _byCode.TryGetValue(code, out entry);

    public T? Find(string? name)
    {
        if (name is null || string.IsNullOrWhiteSpace(name)) return null;
        return _byName.TryGetValue(name.Trim(), out var entry) ? entry : null;
    }
}
