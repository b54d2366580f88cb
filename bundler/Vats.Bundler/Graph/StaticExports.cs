namespace Vats.Bundler.Graph;

/// <summary>Export names of a module as far as they can be known without running it.</summary>
internal static class StaticExports
{
    public static HashSet<string> Of(ModuleNode node) => Collect(node, []);

    /// <summary>
    /// A CommonJS module's named exports, including those it passes through with
    /// <c>module.exports = require(…)</c>: the archive loader only links names listed up front.
    /// </summary>
    private static HashSet<string> Collect(ModuleNode node, HashSet<ModuleNode> visiting)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!visiting.Add(node)) return names;
        if (node.Kind == ModuleKind.Esm)
        {
            names.UnionWith(node.Esm!.ExportNames);
            foreach (var star in node.Esm.StarExports)
                names.UnionWith(Collect(node.Dependencies[star], visiting).Where(n => n != "default"));
            return names;
        }
        if (node.Kind == ModuleKind.Json) return ["default"];
        names.UnionWith(node.Cjs!.Exports);
        foreach (var spec in node.Cjs.Reexports)
            if (node.Dependencies.TryGetValue(spec, out var target))
                names.UnionWith(Collect(target, visiting));
        names.Add("default");
        return names;
    }
}
