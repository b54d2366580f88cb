namespace System.Runtime.CompilerServices;

/// <summary>
/// Recognized by the runtime by name: code in an assembly carrying it may use the internals of the named assembly.
/// Applied to the dynamic assemblies the compiler generates, so generated code can read the runtime's internal
/// fields directly.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
{
    public string AssemblyName { get; } = assemblyName;
}
