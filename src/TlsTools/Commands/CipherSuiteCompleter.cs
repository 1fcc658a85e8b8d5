using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using TlsTools.Catalog;

namespace TlsTools.Commands;

/// <summary>Tab completion of cipher suites by IANA name and by OpenSSL name, with the rating as the tooltip.</summary>
public sealed class CipherSuiteCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = (wordToComplete ?? "").Trim('\'', '"');
        foreach (var suite in CipherSuiteCatalog.All.Where(s => !s.IsSignaling))
            foreach (var name in new[] { suite.Name, suite.OpenSslName }.OfType<string>().Where(n => n.Length > 0).Distinct())
                if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult(name, name, CompletionResultType.ParameterValue,
                        $"{suite.CodeText} {suite.Name} ({suite.Rating})");
    }
}
