using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vats.Wasm.SpecTests;

/// <summary>wast2json's output: the script's commands in order.</summary>
internal sealed class SpecScript
{
    public string? SourceFilename { get; set; }

    public List<SpecCommand> Commands { get; set; } = [];

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static SpecScript Load(string jsonPath)
    {
        using var stream = File.OpenRead(jsonPath);
        return JsonSerializer.Deserialize<SpecScript>(stream, Options)
            ?? throw new InvalidDataException($"{jsonPath} holds no script");
    }
}

/// <summary>One command: module, register, action or one of the assert_* forms.</summary>
internal sealed class SpecCommand
{
    public string Type { get; set; } = "";

    public int Line { get; set; }

    /// <summary>The module binary (relative to the JSON file) of module and module assertions.</summary>
    public string? Filename { get; set; }

    /// <summary>The module's $name (module) or the registered module's $name (register).</summary>
    public string? Name { get; set; }

    /// <summary>register: the import module name to offer the instance under.</summary>
    public string? As { get; set; }

    /// <summary>Assertions: the expected error text.</summary>
    public string? Text { get; set; }

    /// <summary>"binary" or "text" for module assertions.</summary>
    public string? ModuleType { get; set; }

    public SpecAction? Action { get; set; }

    public List<SpecJsonValue>? Expected { get; set; }
}

/// <summary>invoke (a function export with arguments) or get (a global export).</summary>
internal sealed class SpecAction
{
    public string Type { get; set; } = "";

    /// <summary>The $name of the module; null means the most recent one.</summary>
    public string? Module { get; set; }

    public string Field { get; set; } = "";

    public List<SpecJsonValue> Args { get; set; } = [];
}

/// <summary>A typed value as wast2json writes it: numbers as decimal bit patterns, "null", or a NaN class.</summary>
internal sealed class SpecJsonValue
{
    public string Type { get; set; } = "";

    /// <summary>A string for scalars; absent for the result types of assert_trap; an array for vectors.</summary>
    public JsonElement Value { get; set; }

    [JsonIgnore]
    public string? Text => Value.ValueKind == JsonValueKind.String ? Value.GetString() : null;

    public override string ToString() => Value.ValueKind switch
    {
        JsonValueKind.Undefined => Type,
        JsonValueKind.String => $"{Type}:{Value.GetString()}",
        _ => $"{Type}:{Value.GetRawText()}",
    };
}
