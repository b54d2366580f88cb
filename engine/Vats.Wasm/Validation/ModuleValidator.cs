using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Validation;

/// <summary>Checks a decoded module against the WebAssembly 2.0 validation rules.</summary>
public static class ModuleValidator
{
    /// <summary>The largest memory, in 64 KiB pages, that a 32-bit address space can hold.</summary>
    private const uint MaxMemoryPages = 65536;

    /// <summary>Throws <see cref="InvalidModuleException"/> on the first rule broken.</summary>
    public static void Validate(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        ValidateImports(module);
        ValidateFunctionTypes(module);

        var context = new ValidationContext(module);
        CollectRefs(context);

        foreach (var table in module.Tables) ValidateLimits(table.Limits, uint.MaxValue, 0, "table");
        foreach (var memory in module.Memories) ValidateMemory(memory, 0);
        if (context.MemoryCount > 1) throw new InvalidModuleException(0, "multiple memories");

        foreach (var global in module.Globals) ConstExprValidator.Validate(context, global.Init, global.Type.ValType);

        ValidateExports(context);
        ValidateStart(context);
        ValidateElements(context);
        ValidateDatas(context);
        ValidateCode(context);
    }

    private static void ValidateImports(Module module)
    {
        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function:
                    if (import.FunctionTypeIndex >= (uint)module.Types.Count)
                        throw new InvalidModuleException(import.Offset, $"unknown type {import.FunctionTypeIndex}");
                    break;
                case ExternalKind.Table:
                    ValidateLimits(import.Table.Limits, uint.MaxValue, import.Offset, "table");
                    break;
                case ExternalKind.Memory:
                    ValidateMemory(import.Memory, import.Offset);
                    break;
            }
        }
    }

    private static void ValidateFunctionTypes(Module module)
    {
        foreach (var typeIndex in module.FunctionTypeIndices)
        {
            if (typeIndex >= (uint)module.Types.Count)
                throw new InvalidModuleException(FirstCodeOffset(module), $"unknown type {typeIndex}");
        }
        if (module.Codes.Count != module.FunctionTypeIndices.Count)
            throw new MalformedModuleException(FirstCodeOffset(module), "function and code section have inconsistent lengths");
    }

    private static int FirstCodeOffset(Module module) => module.Codes.Count > 0 ? module.Codes[0].CodeOffset : 0;

    private static void ValidateMemory(MemoryType memory, int offset) =>
        ValidateLimits(memory.Limits, MaxMemoryPages, offset, "memory");

    private static void ValidateLimits(Limits limits, uint range, int offset, string what)
    {
        if (limits.Min > range || limits.Max > range)
        {
            throw new InvalidModuleException(offset, what == "memory"
                ? "memory size must be at most 65536 pages (4GiB)"
                : $"{what} size must be at most {range}");
        }
        if (limits.Max < limits.Min)
            throw new InvalidModuleException(offset, "size minimum must not be greater than maximum");
    }

    /// <summary>C.refs: functions referenced outside function bodies (exports, globals, segments) may be named by ref.func.</summary>
    private static void CollectRefs(ValidationContext context)
    {
        var module = context.Module;
        foreach (var export in module.Exports)
        {
            if (export.Kind == ExternalKind.Function && export.Index < (uint)context.Refs.Length)
                context.Refs[export.Index] = true;
        }
        foreach (var global in module.Globals) ConstExprValidator.CollectRefs(context, global.Init);
        foreach (var segment in module.Elements)
        {
            ConstExprValidator.CollectRefs(context, segment.OffsetExpr);
            foreach (var item in segment.Items) ConstExprValidator.CollectRefs(context, item);
        }
        foreach (var segment in module.Datas) ConstExprValidator.CollectRefs(context, segment.OffsetExpr);
    }

    private static void ValidateExports(ValidationContext context)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var export in context.Module.Exports)
        {
            var (count, what) = export.Kind switch
            {
                ExternalKind.Function => (context.Functions.Length, "function"),
                ExternalKind.Table => (context.Tables.Length, "table"),
                ExternalKind.Memory => (context.MemoryCount, "memory"),
                _ => (context.Globals.Length, "global"),
            };
            if (export.Index >= (uint)count) throw new InvalidModuleException(export.Offset, $"unknown {what} {export.Index}");
            if (!names.Add(export.Name)) throw new InvalidModuleException(export.Offset, $"duplicate export name \"{export.Name}\"");
        }
    }

    private static void ValidateStart(ValidationContext context)
    {
        if (context.Module.StartFunction is not { } start) return;
        if (start >= (uint)context.Functions.Length) throw new InvalidModuleException(0, $"unknown function {start}");
        var type = context.Functions[start]!;
        if (type.Parameters.Length != 0 || type.Results.Length != 0)
            throw new InvalidModuleException(0, $"start function must have type [] -> [], function {start} has {type}");
    }

    private static void ValidateElements(ValidationContext context)
    {
        foreach (var segment in context.Module.Elements)
        {
            if (!segment.ElementType.IsReference())
                throw new InvalidModuleException(segment.Offset, $"type mismatch: element segment of non-reference type {segment.ElementType.Name()}");
            if (segment.Mode == SegmentMode.Active)
            {
                if (segment.TableIndex >= (uint)context.Tables.Length)
                    throw new InvalidModuleException(segment.Offset, $"unknown table {segment.TableIndex}");
                var tableType = context.Tables[segment.TableIndex].ElementType;
                if (tableType != segment.ElementType)
                    throw new InvalidModuleException(segment.Offset, $"type mismatch: {segment.ElementType.Name()} segment for {tableType.Name()} table {segment.TableIndex}");
                ValidateOffset(context, segment.OffsetExpr, segment.Offset);
            }
            foreach (var item in segment.Items) ConstExprValidator.Validate(context, item, segment.ElementType);
        }
    }

    private static void ValidateDatas(ValidationContext context)
    {
        var module = context.Module;
        if (module.DataCount is { } dataCount && dataCount != (uint)module.Datas.Count)
            throw new MalformedModuleException(0, "data count and data section have inconsistent lengths");
        foreach (var segment in module.Datas)
        {
            if (segment.Mode != SegmentMode.Active) continue;
            if (segment.MemoryIndex >= (uint)context.MemoryCount)
                throw new InvalidModuleException(segment.Offset, $"unknown memory {segment.MemoryIndex}");
            ValidateOffset(context, segment.OffsetExpr, segment.Offset);
        }
    }

    private static void ValidateOffset(ValidationContext context, ConstExpr? offset, int segmentOffset)
    {
        if (offset is null) throw new InvalidModuleException(segmentOffset, "type mismatch: active segment without an offset");
        ConstExprValidator.Validate(context, offset, ValType.I32);
    }

    private static void ValidateCode(ValidationContext context)
    {
        var module = context.Module;
        var validator = new FunctionValidator(context);
        var imported = module.ImportedFunctionCount;
        for (var i = 0; i < module.Codes.Count; i++)
        {
            var index = imported + i;
            validator.Validate(index, context.Functions[index]!, module.Codes[i]);
        }
    }
}
