using System.Text.Json;

namespace Vats.Bundler.Resolution;

/// <summary>A package directory and the package.json fields resolution needs.</summary>
internal sealed class PackageInfo
{
    public required string Directory { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public bool IsModuleType { get; init; }
    public string? Module { get; init; }
    public string? Main { get; init; }
    public JsonElement? Exports { get; init; }
    public JsonElement? Imports { get; init; }

    /// <summary>The archive compartment name: name-vversion, independent of the checkout path.</summary>
    public string CompartmentName => $"{Name}-v{Version}";

    public static PackageInfo Load(string directory, string packageJsonPath)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(packageJsonPath),
                new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new BundleException($"{packageJsonPath}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: invalid package.json");
        }
        using var _ = doc;
        var root = doc.RootElement.Clone();
        string? Str(string key) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        JsonElement? Elem(string key) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
        return new PackageInfo
        {
            Directory = directory,
            Name = Str("name") ?? "app",
            Version = Str("version") ?? "0.0.0",
            IsModuleType = Str("type") == "module",
            Module = Str("module"),
            Main = Str("main"),
            Exports = Elem("exports"),
            Imports = Elem("imports"),
        };
    }
}
