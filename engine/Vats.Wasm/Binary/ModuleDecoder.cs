using System.Text;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Binary;

/// <summary>
/// Decodes the WebAssembly 2.0 core binary format (without SIMD) into a <see cref="Module"/>. Only the
/// encoding is checked here (spec "malformed"); typing and index rules are the validator's job. Every
/// failure is a <see cref="MalformedModuleException"/> with the offending byte offset.
/// </summary>
public static class ModuleDecoder
{
    // Upper bound on the declared locals of one function (the spec only caps them at 2^32 - 1).
    internal const int MaxLocals = 50_000;

    private const string UnexpectedEnd = "unexpected end";
    private const string UnexpectedEndOfSection = "unexpected end of section or function";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes a module. The returned module's memory slices point into <paramref name="bytes"/>, which must not change.</summary>
    public static Module Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var module = new Module();
        var reader = new WasmReader(bytes);
        ReadHeader(ref reader);
        ReadSections(ref reader, bytes, module);
        return module;
    }

    private static void ReadHeader(ref WasmReader reader)
    {
        ReadOnlySpan<byte> magic = [0x00, 0x61, 0x73, 0x6D];
        ReadOnlySpan<byte> version = [0x01, 0x00, 0x00, 0x00];
        if (!magic.SequenceEqual(reader.ReadBytes(4))) throw new MalformedModuleException(0, "magic header not detected");
        if (!version.SequenceEqual(reader.ReadBytes(4))) throw new MalformedModuleException(4, "unknown binary version");
    }

    private static void ReadSections(ref WasmReader reader, byte[] bytes, Module module)
    {
        var scanner = new ExpressionScanner();
        var lastRank = 0;
        var lastKnownId = SectionId.Custom;
        while (!reader.AtEnd)
        {
            var sectionOffset = reader.Offset;
            var idByte = reader.ReadByte();
            if (idByte > (byte)SectionId.DataCount) throw new MalformedModuleException(sectionOffset, "malformed section id");
            var id = (SectionId)idByte;
            var size = (int)ReadLength(ref reader);
            var contentStart = reader.Offset;
            var contentEnd = contentStart + size;

            if (id == SectionId.Custom)
            {
                ReadCustomSection(bytes, contentStart, size, sectionOffset, lastKnownId, module);
                reader.Position = contentEnd;
                continue;
            }

            var rank = SectionOrder.Rank(id);
            if (rank <= lastRank) throw new MalformedModuleException(sectionOffset, "unexpected content after last section");
            lastRank = rank;
            lastKnownId = id;

            try
            {
                ReadKnownSection(ref reader, id, bytes, scanner, module);
            }
            catch (MalformedModuleException e) when (e.Reason == UnexpectedEnd && id is not (SectionId.Element or SectionId.Code))
            {
                // Running out of bytes between entries of a section: the reference interpreter's wording.
                // (Element and code sections keep the plain message, as the reference does; function
                // bodies report the long form themselves when the end falls between instructions.)
                throw new MalformedModuleException(e.Offset, UnexpectedEndOfSection);
            }

            // Sections are read like the reference interpreter does, without clipping to the declared size,
            // so a miscount shows up here rather than as a read past the section.
            if (reader.Offset != contentEnd) throw new MalformedModuleException(contentStart, "section size mismatch");
        }

        var end = bytes.Length;
        if (module.FunctionTypeIndices.Count != module.Codes.Count)
            throw new MalformedModuleException(end, "function and code section have inconsistent lengths");
        if (module.DataCount is { } dataCount && dataCount != (uint)module.Datas.Count)
            throw new MalformedModuleException(end, "data count and data section have inconsistent lengths");
        if (module.DataCount is null && scanner.UsesDataIndex)
            throw new MalformedModuleException(end, "data count section required");
    }

    private static void ReadKnownSection(ref WasmReader reader, SectionId id, byte[] bytes, ExpressionScanner scanner, Module module)
    {
        switch (id)
        {
            case SectionId.Type: ReadTypeSection(ref reader, module); break;
            case SectionId.Import: ReadImportSection(ref reader, module); break;
            case SectionId.Function: ReadFunctionSection(ref reader, module); break;
            case SectionId.Table: ReadTableSection(ref reader, module); break;
            case SectionId.Memory: ReadMemorySection(ref reader, module); break;
            case SectionId.Global: ReadGlobalSection(ref reader, bytes, scanner, module); break;
            case SectionId.Export: ReadExportSection(ref reader, module); break;
            case SectionId.Start: module.StartFunction = reader.ReadU32(); break;
            case SectionId.Element: ReadElementSection(ref reader, bytes, scanner, module); break;
            case SectionId.DataCount: module.DataCount = reader.ReadU32(); break;
            case SectionId.Code: ReadCodeSection(ref reader, bytes, scanner, module); break;
            case SectionId.Data: ReadDataSection(ref reader, bytes, scanner, module); break;
        }
    }

    private static void ReadCustomSection(byte[] bytes, int start, int size, int sectionOffset, SectionId after, Module module)
    {
        // The name and payload must both fit in the declared size, so read from a clipped span.
        var section = new WasmReader(bytes.AsSpan(start, size), start);
        var name = ReadName(ref section);
        var payload = new ReadOnlyMemory<byte>(bytes, section.Offset, section.Remaining);
        module.CustomSections.Add(new CustomSection(name, payload, sectionOffset, (byte)after));
    }

    private static void ReadTypeSection(ref WasmReader reader, Module module)
    {
        var count = ReadCount(ref reader);
        module.Types.EnsureCapacity((int)count);
        for (var i = 0u; i < count; i++)
        {
            var at = reader.Offset;
            if (ReadTypeByte(ref reader) != 0x60) throw new MalformedModuleException(at, "malformed function type");
            var parameters = ReadValueTypes(ref reader);
            var results = ReadValueTypes(ref reader);
            module.Types.Add(new FuncType(parameters, results));
        }
    }

    private static ValType[] ReadValueTypes(ref WasmReader reader)
    {
        var count = ReadCount(ref reader);
        if (count == 0) return [];
        var types = new ValType[count];
        for (var i = 0; i < types.Length; i++) types[i] = ReadValueType(ref reader);
        return types;
    }

    private static void ReadImportSection(ref WasmReader reader, Module module)
    {
        var count = ReadCount(ref reader);
        module.Imports.EnsureCapacity((int)count);
        for (var i = 0u; i < count; i++)
        {
            var offset = reader.Offset;
            var moduleName = ReadName(ref reader);
            var name = ReadName(ref reader);
            var kindOffset = reader.Offset;
            var kind = reader.ReadByte();
            Import import = kind switch
            {
                0 => new Import { Module = moduleName, Name = name, Kind = ExternalKind.Function, FunctionTypeIndex = reader.ReadU32(), Offset = offset },
                1 => new Import { Module = moduleName, Name = name, Kind = ExternalKind.Table, Table = ReadTableType(ref reader), Offset = offset },
                2 => new Import { Module = moduleName, Name = name, Kind = ExternalKind.Memory, Memory = new MemoryType(ReadLimits(ref reader)), Offset = offset },
                3 => new Import { Module = moduleName, Name = name, Kind = ExternalKind.Global, Global = ReadGlobalType(ref reader), Offset = offset },
                _ => throw new MalformedModuleException(kindOffset, "malformed import kind"),
            };
            module.Imports.Add(import);
        }
        module.CountImports();
    }

    private static void ReadFunctionSection(ref WasmReader reader, Module module)
    {
        var count = ReadCount(ref reader);
        module.FunctionTypeIndices.EnsureCapacity((int)count);
        for (var i = 0u; i < count; i++) module.FunctionTypeIndices.Add(reader.ReadU32());
    }

    private static void ReadTableSection(ref WasmReader reader, Module module)
    {
        var count = ReadCount(ref reader);
        for (var i = 0u; i < count; i++) module.Tables.Add(ReadTableType(ref reader));
    }

    private static void ReadMemorySection(ref WasmReader reader, Module module)
    {
        var count = ReadCount(ref reader);
        for (var i = 0u; i < count; i++) module.Memories.Add(new MemoryType(ReadLimits(ref reader)));
    }

    private static void ReadGlobalSection(ref WasmReader reader, byte[] bytes, ExpressionScanner scanner, Module module)
    {
        var count = ReadCount(ref reader);
        module.Globals.EnsureCapacity((int)count);
        for (var i = 0u; i < count; i++)
        {
            var type = ReadGlobalType(ref reader);
            var init = ReadConstExpr(ref reader, bytes, scanner);
            module.Globals.Add(new GlobalDefinition(type, init));
        }
    }

    private static void ReadExportSection(ref WasmReader reader, Module module)
    {
        var count = ReadCount(ref reader);
        module.Exports.EnsureCapacity((int)count);
        for (var i = 0u; i < count; i++)
        {
            var offset = reader.Offset;
            var name = ReadName(ref reader);
            var kindOffset = reader.Offset;
            var kind = reader.ReadByte();
            if (kind > (byte)ExternalKind.Global) throw new MalformedModuleException(kindOffset, "malformed export kind");
            module.Exports.Add(new Export(name, (ExternalKind)kind, reader.ReadU32(), offset));
        }
    }

    private static void ReadElementSection(ref WasmReader reader, byte[] bytes, ExpressionScanner scanner, Module module)
    {
        var count = ReadCount(ref reader);
        module.Elements.EnsureCapacity((int)count);
        for (var i = 0u; i < count; i++)
        {
            var offset = reader.Offset;
            var flags = reader.ReadU32();
            if (flags > 7) throw new MalformedModuleException(offset, "malformed elements segment kind");

            // bit 0: passive or declarative; bit 1: explicit table index (active) or declarative;
            // bit 2: items are expressions rather than function indices.
            var isPassiveOrDeclarative = (flags & 1) != 0;
            var hasTableIndexOrDeclarative = (flags & 2) != 0;
            var usesExpressions = (flags & 4) != 0;

            var mode = !isPassiveOrDeclarative ? SegmentMode.Active
                : hasTableIndexOrDeclarative ? SegmentMode.Declarative
                : SegmentMode.Passive;
            var tableIndex = 0u;
            ConstExpr? offsetExpr = null;
            if (mode == SegmentMode.Active)
            {
                if (hasTableIndexOrDeclarative) tableIndex = reader.ReadU32();
                offsetExpr = ReadConstExpr(ref reader, bytes, scanner);
            }

            var elementType = ValType.FuncRef;
            // Flags 0 and 4 imply funcref; the others spell out the element kind or reference type.
            if (flags is not (0 or 4))
            {
                var at = reader.Offset;
                var b = usesExpressions ? ReadTypeByte(ref reader) : reader.ReadByte();
                if (usesExpressions)
                {
                    if (b is not ((byte)ValType.FuncRef or (byte)ValType.ExternRef)) throw new MalformedModuleException(at, "malformed reference type");
                    elementType = (ValType)b;
                }
                else if (b != 0x00)
                {
                    throw new MalformedModuleException(at, "malformed elements segment kind");
                }
            }

            var itemCount = ReadCount(ref reader);
            var items = itemCount == 0 ? [] : new ConstExpr[itemCount];
            for (var j = 0; j < items.Length; j++)
            {
                if (usesExpressions)
                {
                    items[j] = ReadConstExpr(ref reader, bytes, scanner);
                }
                else
                {
                    var at = reader.Offset;
                    items[j] = ConstExpr.RefFunc(reader.ReadU32(), at);
                }
            }

            module.Elements.Add(new ElementSegment
            {
                Mode = mode,
                TableIndex = tableIndex,
                OffsetExpr = offsetExpr,
                ElementType = elementType,
                Items = items,
                Offset = offset,
            });
        }
    }

    private static void ReadCodeSection(ref WasmReader reader, byte[] bytes, ExpressionScanner scanner, Module module)
    {
        var count = ReadCount(ref reader);
        module.Codes.EnsureCapacity((int)count);
        for (var i = 0u; i < count; i++)
        {
            var size = (int)ReadLength(ref reader);
            var bodyStart = reader.Offset;
            var locals = ReadLocals(ref reader);
            var codeStart = reader.Offset;

            // Scan to the closing `end` regardless of the declared size (as the reference interpreter does),
            // then insist that the two agree.
            var consumed = scanner.Scan(bytes.AsSpan(codeStart), codeStart, sink: null);
            reader.Position = codeStart + consumed;
            if (reader.Offset != bodyStart + size) throw new MalformedModuleException(bodyStart, "section size mismatch");

            module.Codes.Add(new FunctionBody(locals, new ReadOnlyMemory<byte>(bytes, codeStart, consumed), codeStart));
        }
    }

    private static ValType[] ReadLocals(ref WasmReader reader)
    {
        var declarationsStart = reader.Position;
        var groups = ReadCount(ref reader);
        ulong total = 0;
        for (var i = 0u; i < groups; i++)
        {
            var at = reader.Offset;
            total += reader.ReadU32();
            // Checked per group so the running sum stays far from overflow.
            if (total > MaxLocals) throw new MalformedModuleException(at, "too many locals");
            ReadValueType(ref reader);
        }
        if (total == 0) return [];

        // Second pass over the already-checked declarations to fill the flattened array.
        var end = reader.Position;
        reader.Position = declarationsStart;
        reader.ReadU32();
        var locals = new ValType[total];
        var next = 0;
        for (var i = 0u; i < groups; i++)
        {
            var n = (int)reader.ReadU32();
            var type = (ValType)reader.ReadByte();
            locals.AsSpan(next, n).Fill(type);
            next += n;
        }
        reader.Position = end;
        return locals;
    }

    private static void ReadDataSection(ref WasmReader reader, byte[] bytes, ExpressionScanner scanner, Module module)
    {
        var count = ReadCount(ref reader);
        module.Datas.EnsureCapacity((int)count);
        for (var i = 0u; i < count; i++)
        {
            var offset = reader.Offset;
            var flags = reader.ReadU32();
            SegmentMode mode;
            var memoryIndex = 0u;
            ConstExpr? offsetExpr = null;
            switch (flags)
            {
                case 0:
                    mode = SegmentMode.Active;
                    offsetExpr = ReadConstExpr(ref reader, bytes, scanner);
                    break;
                case 1:
                    mode = SegmentMode.Passive;
                    break;
                case 2:
                    mode = SegmentMode.Active;
                    memoryIndex = reader.ReadU32();
                    offsetExpr = ReadConstExpr(ref reader, bytes, scanner);
                    break;
                default:
                    throw new MalformedModuleException(offset, "malformed data segment kind");
            }

            var length = (int)ReadCount(ref reader);
            var dataStart = reader.Offset;
            reader.Position += length;
            module.Datas.Add(new DataSegment
            {
                Mode = mode,
                MemoryIndex = memoryIndex,
                OffsetExpr = offsetExpr,
                Data = new ReadOnlyMemory<byte>(bytes, dataStart, length),
                Offset = offset,
            });
        }
    }

    private static ConstExpr ReadConstExpr(ref WasmReader reader, byte[] bytes, ExpressionScanner scanner)
    {
        var start = reader.Offset;
        var instructions = new List<ConstInstruction>(2);
        // Only function bodies count towards "data count section required".
        var usedDataIndex = scanner.UsesDataIndex;
        var consumed = scanner.Scan(bytes.AsSpan(start), start, instructions);
        scanner.UsesDataIndex = usedDataIndex;
        reader.Position += consumed;
        return new ConstExpr(instructions.ToArray(), start);
    }

    private static TableType ReadTableType(ref WasmReader reader)
    {
        var at = reader.Offset;
        var b = ReadTypeByte(ref reader);
        if (b is not ((byte)ValType.FuncRef or (byte)ValType.ExternRef)) throw new MalformedModuleException(at, "malformed reference type");
        return new TableType((ValType)b, ReadLimits(ref reader));
    }

    private static Limits ReadLimits(ref WasmReader reader)
    {
        var at = reader.Offset;
        var flag = ReadTypeByte(ref reader);
        // 0x02/0x03 (shared) and the 64-bit flags belong to later proposals.
        if (flag > 1) throw new MalformedModuleException(at, "integer too large");
        var min = reader.ReadU32();
        uint? max = flag == 1 ? reader.ReadU32() : null;
        return new Limits(min, max);
    }

    private static GlobalType ReadGlobalType(ref WasmReader reader)
    {
        var type = ReadValueType(ref reader);
        var at = reader.Offset;
        var mutability = reader.ReadByte();
        if (mutability > 1) throw new MalformedModuleException(at, "malformed mutability");
        return new GlobalType(type, mutability == 1);
    }

    private static ValType ReadValueType(ref WasmReader reader)
    {
        var at = reader.Offset;
        var b = ReadTypeByte(ref reader);
        if (!ValTypes.IsValueType(b)) throw new MalformedModuleException(at, "malformed value type");
        return (ValType)b;
    }

    // A type constructor, value type or limits flag. The format defines these as one-byte LEB128 values, so a
    // continuation bit means an over-long encoding rather than an unknown code.
    private static byte ReadTypeByte(ref WasmReader reader)
    {
        var at = reader.Offset;
        var b = reader.ReadByte();
        if ((b & 0x80) != 0) throw new MalformedModuleException(at, "integer representation too long");
        return b;
    }

    // A vector length. Every element takes at least one byte, so a count beyond the bytes left cannot be
    // satisfied; checking it up front keeps a corrupt count from sizing an allocation.
    private static uint ReadCount(ref WasmReader reader)
    {
        var at = reader.Offset;
        var n = reader.ReadU32();
        if (n > (uint)reader.Remaining) throw new MalformedModuleException(at, UnexpectedEndOfSection);
        return n;
    }

    // A byte size (name, section, body): a u32 that cannot exceed the bytes left in the module.
    private static uint ReadLength(ref WasmReader reader)
    {
        var at = reader.Offset;
        var n = reader.ReadU32();
        if (n > (uint)reader.Remaining) throw new MalformedModuleException(at, "length out of bounds");
        return n;
    }

    private static string ReadName(ref WasmReader reader)
    {
        var length = (int)ReadLength(ref reader);
        var at = reader.Offset;
        var raw = reader.ReadBytes(length);
        try
        {
            return StrictUtf8.GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            throw new MalformedModuleException(at, "malformed UTF-8 encoding");
        }
    }
}
