using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace TlsTools.Loader;

/// <summary>
/// PowerShell 7 (.NET): TlsTools.dll stays in the default load context with PowerShell itself; when it asks for
/// TlsTools.Core, the default context's Resolving event hands it Core from <see cref="DependencyLoadContext"/>, and
/// everything Core references (BouncyCastle) then resolves inside that context, next to Core.
/// </summary>
/// <remarks>
/// Everything that names AssemblyLoadContext lives in this file and is reached only through
/// <see cref="ModuleLoader"/>'s non-inlined calls on .NET: .NET Framework has no System.Runtime.Loader.
/// </remarks>
static class IsolatedDependencies
{
    /// <summary>
    /// The one assembly TlsTools.dll references from the deps folder, and the only name answered for the default
    /// context: handing it our BouncyCastle would give that to every other module that asks for one.
    /// </summary>
    const string CoreAssemblyName = "TlsTools.Core";

    /// <summary>
    /// One per process, whatever the number of imports: once the runtime has bound TlsTools.dll to Core it keeps that
    /// binding, so a second context would only load a second, unused Core.
    /// </summary>
    static readonly DependencyLoadContext Context = new(ModuleLoader.DependencyFolder);

    internal static void Register()
    {
        // -= first: Import-Module -Force calls OnImport again, and one handler is enough.
        AssemblyLoadContext.Default.Resolving -= ResolveCore;
        AssemblyLoadContext.Default.Resolving += ResolveCore;
        // Loaded now rather than when the cmdlet types first need it, so its types are there for scripts at once.
        CoreTypeAccelerators.Register(Context.LoadFromAssemblyName(new AssemblyName(CoreAssemblyName)));
    }

    internal static void Unregister()
    {
        AssemblyLoadContext.Default.Resolving -= ResolveCore;
        CoreTypeAccelerators.Unregister(Context.LoadFromAssemblyName(new AssemblyName(CoreAssemblyName)));
    }

    static Assembly? ResolveCore(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        if (name.Name != CoreAssemblyName) return null;
        // Only what is there: a missing file must fail as "not found", not send the lookup round in a circle.
        return File.Exists(Context.PathOf(name)) ? Context.LoadFromAssemblyName(name) : null;
    }
}

/// <summary>
/// The module's own load context: an assembly whose file is in the deps folder loads from there, into this context;
/// anything else (netstandard, System.*) is the default context's, shared with PowerShell.
/// </summary>
sealed class DependencyLoadContext : AssemblyLoadContext
{
    readonly string _folder;

    internal DependencyLoadContext(string folder) => _folder = folder;

    internal string PathOf(AssemblyName name) => Path.Combine(_folder, name.Name + ".dll");

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = PathOf(assemblyName);
        // null: fall back to the default context, which is where the framework assemblies are.
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
