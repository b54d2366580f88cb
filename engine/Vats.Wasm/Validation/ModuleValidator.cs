using Vats.Wasm.Model;

namespace Vats.Wasm.Validation;

/// <summary>Checks a decoded module against the spec's validation rules.</summary>
public static class ModuleValidator
{
    /// <summary>Throws <see cref="Errors.InvalidModuleException"/> on the first rule broken.</summary>
    public static void Validate(Module module)
    {
        // Placeholder: accepts everything until the validator lands.
        _ = module;
    }
}
