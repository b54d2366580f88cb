using System.Security.Cryptography;
using Vats.Wasm.Binary;
using Vats.Wasm.Model;
using Vats.Wasm.Validation;

namespace Vats.Wasm;

/// <summary>
/// A decoded and validated module, ready to instantiate any number of times.
/// Errors: <see cref="Errors.MalformedModuleException"/> (decoding), <see cref="Errors.InvalidModuleException"/> (validation).
/// </summary>
public sealed class CompiledModule
{
    private CompiledModule(Module module) => Module = module;

    /// <summary>The decoded module.</summary>
    public Module Module { get; }

    /// <summary>Decodes and validates <paramref name="bytes"/>.</summary>
    public static CompiledModule Compile(byte[] bytes)
    {
        var module = ModuleDecoder.Decode(bytes);
        module.Sha256 = SHA256.HashData(bytes);
        ModuleValidator.Validate(module);
        return new CompiledModule(module);
    }

    /// <summary>Reads a file and compiles it.</summary>
    public static CompiledModule CompileFile(string path) => Compile(File.ReadAllBytes(path));
}
