using System;
using System.IO;
using System.Reflection;

namespace TlsTools.Loader;

/// <summary>
/// Windows PowerShell 5.1 (.NET Framework) has one load context per AppDomain, so it keeps the plain load: when an
/// assembly whose file is in the deps folder is not found, it is loaded from there.
/// </summary>
static class FrameworkDependencies
{
    internal static void Register()
    {
        // -= first: Import-Module -Force calls OnImport again, and one handler is enough.
        AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
        AppDomain.CurrentDomain.AssemblyResolve += Resolve;
    }

    internal static void Unregister() => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

    static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var path = Path.Combine(ModuleLoader.DependencyFolder, new AssemblyName(args.Name).Name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
