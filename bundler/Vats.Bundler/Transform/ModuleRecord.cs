namespace Vats.Bundler.Transform;

/// <summary>
/// An ES module lowered to the precompiled-functor calling convention shared by the SES module
/// loader and our functor linker (imports / liveVar / onceVar / import / importMeta).
/// </summary>
internal sealed class EsmRecord
{
    /// <summary>The functor expression text.</summary>
    public required string Functor { get; init; }

    /// <summary>Specifiers in order of first appearance.</summary>
    public required List<string> Imports { get; init; }

    /// <summary>Sorted `export *` specifiers.</summary>
    public required List<string> StarExports { get; init; }

    /// <summary>Export name → local name, sorted by export name.</summary>
    public required SortedDictionary<string, string> LiveExports { get; init; }

    /// <summary>Specifier → (imported name, exported name) pairs, for re-exports.</summary>
    public required SortedDictionary<string, List<(string Import, string Export)>> ReexportMap { get; init; }

    public required bool NeedsImportMeta { get; init; }

    /// <summary>Sorted names this module exports explicitly (not via `export *`).</summary>
    public IEnumerable<string> ExportNames =>
        LiveExports.Keys.Concat(ReexportMap.Values.SelectMany(l => l.Select(p => p.Export)))
            .Distinct().Order(StringComparer.Ordinal);
}

/// <summary>A CommonJS module wrapped as a function of (require, exports, module, __filename, __dirname).</summary>
internal sealed class CjsRecord
{
    public required string Functor { get; init; }

    /// <summary>`require` specifiers found statically, in order of appearance.</summary>
    public required List<string> Imports { get; init; }

    /// <summary>Named exports found statically (sorted, `default` included).</summary>
    public required List<string> Exports { get; init; }

    /// <summary>Specifiers whose exports this module passes through (<c>module.exports = require(…)</c>).</summary>
    public required List<string> Reexports { get; init; }
}
