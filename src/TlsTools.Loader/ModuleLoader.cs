using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TlsTools.Loader;

/// <summary>
/// Where TlsTools.Core and BouncyCastle.Cryptography come from. They sit in the module's <c>deps</c> folder, which
/// no load context probes by itself, so that a BouncyCastle another module brought into the session (any other
/// version: every 2.x has assembly version 2.0.0.0) and ours never meet.
/// </summary>
/// <remarks>
/// This is a nested module of its own, not a class in TlsTools.dll, because PowerShell loads every public type
/// of a binary module before it calls that module's <see cref="IModuleAssemblyInitializer"/>, and the cmdlet types
/// need Core to load (Core enums as parameter fields, <c>ProbeTargetCmdlet&lt;CipherSupportResult&gt;</c> as a base
/// type). The manifest's NestedModules are imported before its RootModule, so this runs first.
/// On PowerShell 7 (.NET) Core and BouncyCastle load into one AssemblyLoadContext owned by the module
/// (<see cref="IsolatedDependencies"/>); on Windows PowerShell 5.1 (.NET Framework) they load the plain way, from
/// the folder (<see cref="FrameworkDependencies"/>).
/// </remarks>
public sealed class ModuleLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <summary>The folder beside TlsTools.dll that holds Core and everything Core depends on.</summary>
    public const string DependencyFolderName = "deps";

    internal static readonly string DependencyFolder =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleLoader).Assembly.Location) ?? ".", DependencyFolderName);

    static readonly bool IsNetFramework =
        RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

    /// <summary>Called by Import-Module, every time (also for -Force): the registrations are idempotent.</summary>
    public void OnImport()
    {
        if (IsNetFramework) FrameworkDependencies.Register();
        else RegisterIsolated();
    }

    /// <summary>
    /// Called by Remove-Module. The assemblies stay loaded (.NET unloads none of them), and so does the load context
    /// Core lives in; only the hook that answers for our names goes, so a later import installs it again.
    /// </summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (IsNetFramework) FrameworkDependencies.Unregister();
        else UnregisterIsolated();
    }

    // The only two places that name IsolatedDependencies, never inlined: on .NET Framework the JIT then never even
    // loads a type that mentions AssemblyLoadContext, which does not exist there.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void RegisterIsolated() => IsolatedDependencies.Register();

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void UnregisterIsolated() => IsolatedDependencies.Unregister();
}
