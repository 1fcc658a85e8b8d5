using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Reflection;

namespace TlsTools.Loader;

/// <summary>
/// PowerShell 7 resolves a type literal such as <c>[TlsTools.FailureCategory]</c> only among the assemblies of the
/// default load context (custom contexts are left out on purpose, against two types of one name). Core lives in
/// the module's own context, so each of its public types is registered as a type accelerator under its full name:
/// the literal then means exactly the type the cmdlets return. about_Classes exports a module's types the same way,
/// through the same (non-public) TypeAccelerators class; where a PowerShell lacks it, only the literals are missing.
/// </summary>
static class CoreTypeAccelerators
{
    static readonly Type? Accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
    static readonly MethodInfo? AddMethod = Accelerators?.GetMethod("Add", new[] { typeof(string), typeof(Type) });
    static readonly MethodInfo? RemoveMethod = Accelerators?.GetMethod("Remove", new[] { typeof(string) });
    static readonly PropertyInfo? AllProperty = Accelerators?.GetProperty("Get");

    internal static void Register(Assembly core)
    {
        if (AddMethod is null) return;
        foreach (var type in core.GetExportedTypes()) AddMethod.Invoke(null, new object?[] { type.FullName, type });
    }

    internal static void Unregister(Assembly core)
    {
        if (RemoveMethod is null || AllProperty?.GetValue(null) is not IDictionary<string, Type> current) return;
        foreach (var type in core.GetExportedTypes())
        {
            // Only our own entries: a name someone else has since taken stays theirs.
            if (type.FullName is { } name && current.TryGetValue(name, out var registered) && registered == type)
                RemoveMethod.Invoke(null, new object?[] { name });
        }
    }
}
