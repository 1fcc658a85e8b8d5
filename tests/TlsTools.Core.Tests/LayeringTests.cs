using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>
/// DESIGN.md's arrows, held by the compiled assembly and by the source: the Model (namespace TlsTools, folder Model/)
/// references nothing else of ours; Protocol references only itself and the Model. Reflection sees every signature
/// (fields, properties, events, methods, constructors, base types, generic arguments); method bodies it cannot see,
/// so the source of both folders is also read for another layer's namespace.
/// </summary>
public class LayeringTests
{
    const string ModelNamespace = "TlsTools";
    const string ProtocolNamespace = "TlsTools.Protocol";

    /// <summary>The layers above Protocol and the Model (the folders of src/TlsTools.Core, each its own namespace).</summary>
    static readonly string[] UpperLayers = { "Catalog", "Net", "Probing", "Handshake", "Certificates", "Diagnosis", "Capture", "TestServers", "Assessment", "Reporting" };

    const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    static readonly Assembly Core = typeof(FailureCategory).Assembly;

    [Fact]
    public void TheModelReferencesNothingElseOfOurs()
    {
        var model = Core.GetTypes().Where(t => t.Namespace == ModelNamespace).ToList();
        Assert.Contains(typeof(HandshakeResult), model);
        Assert.Contains(typeof(TranscriptEntry), model);
        var offences = Offences(model, referenced => referenced.Namespace != ModelNamespace);
        Assert.True(offences.Count == 0, "The Model references upper layers:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void ProtocolReferencesOnlyItselfAndTheModel()
    {
        var protocol = Core.GetTypes().Where(t => t.Namespace == ProtocolNamespace).ToList();
        Assert.NotEmpty(protocol);
        var offences = Offences(protocol, referenced => referenced.Namespace != ProtocolNamespace && referenced.Namespace != ModelNamespace);
        Assert.True(offences.Count == 0, "Protocol references upper layers:\n" + string.Join("\n", offences));
    }

    /// <summary>The check itself can fail: an upper layer's type (the diagnoser, which references the Handshake layer) is caught.</summary>
    [Fact]
    public void TheCheckFindsAnUpperLayersReference()
    {
        var offences = Offences(new[] { typeof(Diagnosis.HandshakeDiagnoser) }, referenced => referenced.Namespace != "TlsTools.Diagnosis" && referenced.Namespace != ModelNamespace);
        Assert.Contains(offences, o => o.Contains("TlsTools.Handshake.HandshakeObservation"));
    }

    /// <summary>The bodies: no file of Model/ or Protocol/ names another layer (a using, or a qualified name such as Catalog.AlertCatalog).</summary>
    [Fact]
    public void TheSourceOfModelAndProtocolNamesNoUpperLayer()
    {
        var core = CoreSourceDirectory();
        var offences = new List<string>();
        foreach (var (folder, alsoForbidden) in new[] { ("Model", new[] { "Protocol" }), ("Protocol", new string[0]) })
        {
            var forbidden = UpperLayers.Concat(alsoForbidden).ToList();
            var pattern = new Regex(@"\b(?:using\s+TlsTools\.(?<layer>" + string.Join("|", forbidden) + @")\b|(?:TlsTools\.)?(?<layer>" + string.Join("|", forbidden) + @")\.[A-Z])");
            var files = Directory.GetFiles(Path.Combine(core, folder), "*.cs", SearchOption.AllDirectories);
            Assert.NotEmpty(files);
            foreach (var file in files)
            {
                int number = 0;
                foreach (var line in File.ReadLines(file))
                {
                    number++;
                    var code = StripComment(line);
                    foreach (Match m in pattern.Matches(code))
                        offences.Add($"{folder}/{Path.GetFileName(file)}:{number}: {m.Value.Trim()} ({m.Groups["layer"].Value})");
                }
            }
        }
        Assert.True(offences.Count == 0, "Model or Protocol source names an upper layer:\n" + string.Join("\n", offences));
    }

    /// <summary>Namespace TlsTools is the Model folder and nothing else, so the reflection checks above cover exactly the Model.</summary>
    [Fact]
    public void NamespaceTlsToolsIsDeclaredOnlyInTheModelFolder()
    {
        var core = CoreSourceDirectory();
        var model = Path.Combine(core, "Model") + Path.DirectorySeparatorChar;
        var outside = Directory.GetFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(model, StringComparison.Ordinal) && !IsBuildOutput(core, f))
            .Where(f => File.ReadLines(f).Any(l => l.Trim() == "namespace TlsTools;"))
            .Select(f => f.Substring(core.Length + 1)).ToList();
        Assert.True(outside.Count == 0, "Files outside Model/ in namespace TlsTools: " + string.Join(", ", outside));
    }

    static List<string> Offences(IEnumerable<Type> types, Func<Type, bool> isForbidden)
    {
        var offences = new List<string>();
        foreach (var type in types)
            foreach (var (where, referenced) in References(type))
                foreach (var ours in Flatten(referenced).Where(IsOurs).Where(isForbidden))
                    offences.Add($"{type.FullName}: {where} -> {ours.FullName}");
        return offences.Distinct().ToList();
    }

    /// <summary>Every type a type's signatures name, with where it is named.</summary>
    static IEnumerable<(string Where, Type Type)> References(Type type)
    {
        if (type.BaseType != null) yield return ("base type", type.BaseType);
        foreach (var i in type.GetInterfaces()) yield return ("interface", i);
        foreach (var f in type.GetFields(Everything)) yield return ("field " + f.Name, f.FieldType);
        foreach (var p in type.GetProperties(Everything)) yield return ("property " + p.Name, p.PropertyType);
        foreach (var e in type.GetEvents(Everything)) if (e.EventHandlerType != null) yield return ("event " + e.Name, e.EventHandlerType);
        foreach (var m in type.GetMethods(Everything))
        {
            yield return ("method " + m.Name, m.ReturnType);
            foreach (var p in m.GetParameters()) yield return ($"method {m.Name}({p.Name})", p.ParameterType);
        }
        foreach (var c in type.GetConstructors(Everything))
            foreach (var p in c.GetParameters()) yield return ($"constructor({p.Name})", p.ParameterType);
    }

    /// <summary>A type and what it is made of: element types of arrays and by-refs, generic arguments.</summary>
    static IEnumerable<Type> Flatten(Type type)
    {
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var t in Flatten(element)) yield return t;
            yield break;
        }
        if (type.IsGenericParameter) yield break;
        yield return type;
        if (type.IsGenericType)
            foreach (var argument in type.GetGenericArguments())
                foreach (var t in Flatten(argument)) yield return t;
    }

    static bool IsOurs(Type type) =>
        type.Assembly == Core && type.Namespace != null && (type.Namespace == ModelNamespace || type.Namespace.StartsWith(ModelNamespace + ".", StringComparison.Ordinal));

    static string StripComment(string line)
    {
        int comment = line.IndexOf("//", StringComparison.Ordinal);
        return comment < 0 ? line : line.Substring(0, comment);
    }

    static bool IsBuildOutput(string core, string file)
    {
        var relative = file.Substring(core.Length + 1);
        return relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>src/TlsTools.Core, found from this file's path up to the folder that holds TlsTools.sln.</summary>
    static string CoreSourceDirectory([CallerFilePath] string thisFile = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(thisFile) ?? throw new InvalidOperationException($"no directory in '{thisFile}'"));
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "TlsTools.sln"))) dir = dir.Parent;
        if (dir == null) throw new InvalidOperationException($"no TlsTools.sln above '{thisFile}'");
        return Path.Combine(dir.FullName, "src", "TlsTools.Core");
    }
}
