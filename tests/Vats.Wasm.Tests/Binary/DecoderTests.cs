using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;
using static Vats.Wasm.Tests.Binary.ModuleBytes;

namespace Vats.Wasm.Tests.Binary;

public sealed class DecoderTests
{
    private static readonly byte[] NoLocals = [0x00];

    private static MalformedModuleException Malformed(byte[] bytes) =>
        Assert.Throws<MalformedModuleException>(() => ModuleDecoder.Decode(bytes))!;

    [Test]
    public void DecodesEmptyModule()
    {
        var module = ModuleDecoder.Decode(Header);
        Assert.Multiple(() =>
        {
            Assert.That(module.Types, Is.Empty);
            Assert.That(module.Codes, Is.Empty);
            Assert.That(module.StartFunction, Is.Null);
            Assert.That(module.DataCount, Is.Null);
        });
    }

    [TestCase(new byte[0], "unexpected end", 0)]
    [TestCase(new byte[] { 0x00, 0x61, 0x73 }, "unexpected end", 0)]
    [TestCase(new byte[] { 0x00, 0x41, 0x53, 0x4D, 0x01, 0x00, 0x00, 0x00 }, "magic header not detected", 0)]
    [TestCase(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x01 }, "unexpected end", 4)]
    [TestCase(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00 }, "unknown binary version", 4)]
    public void RejectsBadHeader(byte[] bytes, string reason, int offset)
    {
        var e = Malformed(bytes);
        Assert.Multiple(() =>
        {
            Assert.That(e.Reason, Is.EqualTo(reason));
            Assert.That(e.Offset, Is.EqualTo(offset));
        });
    }

    [Test]
    public void DecodesTypes()
    {
        var module = ModuleDecoder.Decode(Module(Section(1, Vec(
            [0x60, 0x02, 0x7F, 0x7E, 0x01, 0x7C],
            [0x60, 0x00, 0x02, 0x70, 0x6F]))));
        Assert.That(module.Types, Is.EqualTo(new[]
        {
            new FuncType([ValType.I32, ValType.I64], [ValType.F64]),
            new FuncType([], [ValType.FuncRef, ValType.ExternRef]),
        }));
    }

    [TestCase(new byte[] { 0x5F, 0x00, 0x00 }, "malformed function type")]
    [TestCase(new byte[] { 0xE0, 0x7F, 0x00, 0x00 }, "integer representation too long")]
    [TestCase(new byte[] { 0x60, 0x01, 0x7B, 0x00 }, "malformed value type")]
    public void RejectsBadType(byte[] type, string reason)
    {
        var e = Malformed(Module(Section(1, Vec(type))));
        Assert.Multiple(() =>
        {
            Assert.That(e.Reason, Is.EqualTo(reason));
            Assert.That(e.Offset, Is.GreaterThanOrEqualTo(11));
        });
    }

    [Test]
    public void DecodesImportsOfEveryKind()
    {
        var module = ModuleDecoder.Decode(Module(
            VoidType,
            Section(2, Vec(
                Concat(Name("m"), Name("f"), [0x00, 0x00]),
                Concat(Name("m"), Name("t"), [0x01, 0x70, 0x01, 0x02, 0x03]),
                Concat(Name("m"), Name("mem"), [0x02, 0x00, 0x01]),
                Concat(Name("m"), Name("g"), [0x03, 0x7E, 0x01]),
                Concat(Name("m"), Name("f2"), [0x00, 0x00])))));
        Assert.Multiple(() =>
        {
            Assert.That(module.Imports.Select(i => i.Kind), Is.EqualTo(new[]
            {
                ExternalKind.Function, ExternalKind.Table, ExternalKind.Memory, ExternalKind.Global, ExternalKind.Function,
            }));
            Assert.That(module.Imports[1].Table, Is.EqualTo(new TableType(ValType.FuncRef, new Limits(2, 3))));
            Assert.That(module.Imports[2].Memory, Is.EqualTo(new MemoryType(new Limits(1, null))));
            Assert.That(module.Imports[3].Global, Is.EqualTo(new GlobalType(ValType.I64, true)));
            Assert.That(module.Imports[2].Name, Is.EqualTo("mem"));
            Assert.That(module.ImportedFunctionCount, Is.EqualTo(2));
            Assert.That(module.ImportedTableCount, Is.EqualTo(1));
            Assert.That(module.ImportedMemoryCount, Is.EqualTo(1));
            Assert.That(module.ImportedGlobalCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void RejectsBadImportKind()
    {
        // Header 8 + type section 6 + import section id/size/count 3 + two names 4 → kind at 21.
        var e = Malformed(Module(VoidType, Section(2, Vec(Concat(Name("m"), Name("f"), [0x04, 0x00])))));
        Assert.Multiple(() =>
        {
            Assert.That(e.Reason, Is.EqualTo("malformed import kind"));
            Assert.That(e.Offset, Is.EqualTo(21));
        });
    }

    [Test]
    public void RejectsBadUtf8InImportName()
    {
        var e = Malformed(Module(Section(2, Vec(Concat(Name("m"), [0x01, 0xFF], [0x02, 0x00, 0x01])))));
        Assert.That(e.Reason, Is.EqualTo("malformed UTF-8 encoding"));
    }

    [Test]
    public void DecodesTablesMemoriesGlobalsExportsAndStart()
    {
        var module = ModuleDecoder.Decode(Module(
            VoidType,
            Functions(1),
            Section(4, Vec([0x6F, 0x00, 0x05], [0x70, 0x01, 0x00, 0x0A])),
            Section(5, Vec([0x01, 0x01, 0x02])),
            Section(6, Vec([0x7F, 0x01, 0x41, 0x7F, 0x0B], [0x7D, 0x00, 0x43, 0x00, 0x00, 0x80, 0x3F, 0x0B])),
            Section(7, Vec(Concat(Name("run"), [0x00, 0x00]), Concat(Name("mem"), [0x02, 0x00]))),
            Section(8, [0x00]),
            Section(10, Vec(Body(NoLocals, 0x0B)))));
        Assert.Multiple(() =>
        {
            Assert.That(module.Tables, Is.EqualTo(new[]
            {
                new TableType(ValType.ExternRef, new Limits(5, null)),
                new TableType(ValType.FuncRef, new Limits(0, 10)),
            }));
            Assert.That(module.Memories, Is.EqualTo(new[] { new MemoryType(new Limits(1, 2)) }));
            Assert.That(module.Globals[0].Type, Is.EqualTo(new GlobalType(ValType.I32, true)));
            Assert.That(module.Globals[0].Init.Instructions, Is.EqualTo(new[] { new ConstInstruction(Opcode.I32Const, ulong.MaxValue, module.Globals[0].Init.Offset) }));
            Assert.That(module.Globals[1].Init.Instructions[0].Immediate, Is.EqualTo(0x3F800000UL));
            Assert.That(module.Exports, Has.Count.EqualTo(2));
            Assert.That(module.Exports[0].Name, Is.EqualTo("run"));
            Assert.That(module.Exports[1].Kind, Is.EqualTo(ExternalKind.Memory));
            Assert.That(module.StartFunction, Is.EqualTo(0u));
        });
    }

    [TestCase(new byte[] { 0x02, 0x00 }, "integer too large")]
    [TestCase(new byte[] { 0x81, 0x00, 0x00 }, "integer representation too long")]
    public void RejectsBadLimitsFlag(byte[] limits, string reason) =>
        Assert.That(Malformed(Module(Section(5, Vec(limits)))).Reason, Is.EqualTo(reason));

    [Test]
    public void RejectsBadMutabilityAndExportKind()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Malformed(Module(Section(6, Vec([0x7F, 0x02, 0x41, 0x00, 0x0B])))).Reason, Is.EqualTo("malformed mutability"));
            Assert.That(Malformed(Module(Section(7, Vec(Concat(Name("x"), [0x04, 0x00]))))).Reason, Is.EqualTo("malformed export kind"));
        });
    }

    [Test]
    public void ConstExprKeepsEveryInstructionForTheValidator()
    {
        // Non-constant instructions are well-formed here; rejecting them is the validator's job.
        var module = ModuleDecoder.Decode(Module(Section(6, Vec([0x7F, 0x00, 0x23, 0x00, 0x41, 0x01, 0x6A, 0x0B]))));
        Assert.That(module.Globals[0].Init.Instructions.Select(i => i.Opcode), Is.EqualTo(new[] { Opcode.GlobalGet, Opcode.I32Const, Opcode.I32Add }));
    }

    [Test]
    public void ConstExprWithoutEndIsMalformed()
    {
        var e = Malformed(Module(Section(6, Vec([0x7F, 0x00, 0x41, 0x00]))));
        Assert.That(e.Reason, Does.StartWith("unexpected end"));
    }

    // Element segments: flags, then what each encoding carries.
    [TestCase(0u, new byte[] { 0x41, 0x01, 0x0B, 0x02, 0x00, 0x01 }, SegmentMode.Active, 0u, ValType.FuncRef)]
    [TestCase(1u, new byte[] { 0x00, 0x02, 0x00, 0x01 }, SegmentMode.Passive, 0u, ValType.FuncRef)]
    [TestCase(2u, new byte[] { 0x01, 0x41, 0x01, 0x0B, 0x00, 0x02, 0x00, 0x01 }, SegmentMode.Active, 1u, ValType.FuncRef)]
    [TestCase(3u, new byte[] { 0x00, 0x02, 0x00, 0x01 }, SegmentMode.Declarative, 0u, ValType.FuncRef)]
    [TestCase(4u, new byte[] { 0x41, 0x01, 0x0B, 0x02, 0xD2, 0x00, 0x0B, 0xD2, 0x01, 0x0B }, SegmentMode.Active, 0u, ValType.FuncRef)]
    [TestCase(5u, new byte[] { 0x70, 0x02, 0xD2, 0x00, 0x0B, 0xD2, 0x01, 0x0B }, SegmentMode.Passive, 0u, ValType.FuncRef)]
    [TestCase(6u, new byte[] { 0x01, 0x41, 0x01, 0x0B, 0x70, 0x02, 0xD2, 0x00, 0x0B, 0xD2, 0x01, 0x0B }, SegmentMode.Active, 1u, ValType.FuncRef)]
    [TestCase(7u, new byte[] { 0x70, 0x02, 0xD2, 0x00, 0x0B, 0xD2, 0x01, 0x0B }, SegmentMode.Declarative, 0u, ValType.FuncRef)]
    public void DecodesEveryElementEncoding(uint flags, byte[] rest, SegmentMode mode, uint table, ValType type)
    {
        var module = ModuleDecoder.Decode(Module(Section(9, Vec(Concat(U32(flags), rest)))));
        var segment = module.Elements.Single();
        Assert.Multiple(() =>
        {
            Assert.That(segment.Mode, Is.EqualTo(mode));
            Assert.That(segment.TableIndex, Is.EqualTo(table));
            Assert.That(segment.ElementType, Is.EqualTo(type));
            Assert.That(segment.Offset, Is.EqualTo(11));
            Assert.That(segment.Items.Select(i => i.Instructions.Single()), Is.EqualTo(new[]
            {
                new ConstInstruction(Opcode.RefFunc, 0, segment.Items[0].Offset),
                new ConstInstruction(Opcode.RefFunc, 1, segment.Items[1].Offset),
            }));
            if (mode == SegmentMode.Active)
                Assert.That(segment.OffsetExpr!.Instructions.Single(), Is.EqualTo(new ConstInstruction(Opcode.I32Const, 1, segment.OffsetExpr.Offset)));
            else
                Assert.That(segment.OffsetExpr, Is.Null);
        });
    }

    [Test]
    public void DecodesExternrefElementExpressions()
    {
        var module = ModuleDecoder.Decode(Module(Section(9, Vec([0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B]))));
        var segment = module.Elements.Single();
        Assert.Multiple(() =>
        {
            Assert.That(segment.ElementType, Is.EqualTo(ValType.ExternRef));
            Assert.That(segment.Items.Single().Instructions.Single().Opcode, Is.EqualTo(Opcode.RefNull));
            Assert.That(segment.Items.Single().Instructions.Single().Immediate, Is.EqualTo(0x6FUL));
        });
    }

    [TestCase(new byte[] { 0x08, 0x41, 0x00, 0x0B, 0x00 }, "malformed elements segment kind")]
    [TestCase(new byte[] { 0x01, 0x01, 0x00 }, "malformed elements segment kind")]
    [TestCase(new byte[] { 0x05, 0x7F, 0x00 }, "malformed reference type")]
    public void RejectsBadElementSegment(byte[] segment, string reason) =>
        Assert.That(Malformed(Module(Section(9, Vec(segment)))).Reason, Is.EqualTo(reason));

    [Test]
    public void DecodesLocalsRunLengthsAndCodeSlice()
    {
        // Header 8 + type 6 + function 4 = 18; code section id 18, size 19, count 20, body size 21, locals from 22.
        var bytes = Module(
            VoidType,
            Functions(1),
            Section(10, Vec(Body([0x03, 0x02, 0x7F, 0x00, 0x7E, 0x01, 0x6F], 0x01, 0x0B))));
        var module = ModuleDecoder.Decode(bytes);
        var body = module.Codes.Single();
        Assert.Multiple(() =>
        {
            Assert.That(body.Locals, Is.EqualTo(new[] { ValType.I32, ValType.I32, ValType.ExternRef }));
            Assert.That(body.CodeOffset, Is.EqualTo(29));
            Assert.That(body.Code.ToArray(), Is.EqualTo(new byte[] { 0x01, 0x0B }));
            Assert.That(bytes[body.CodeOffset], Is.EqualTo(0x01));
        });
    }

    [TestCase(50_001u)]
    [TestCase(uint.MaxValue)]
    public void RejectsTooManyLocals(uint count)
    {
        var e = Malformed(Module(VoidType, Functions(1), Section(10, Vec(Body(Concat([0x01], U32(count), [0x7F]), 0x0B)))));
        Assert.That(e.Reason, Is.EqualTo("too many locals"));
    }

    [Test]
    public void RejectsLocalsWhoseSumOverflows()
    {
        var groups = Concat([0x02], U32(uint.MaxValue), [0x7F], U32(2), [0x7F]);
        Assert.That(Malformed(Module(VoidType, Functions(1), Section(10, Vec(Body(groups, 0x0B))))).Reason, Is.EqualTo("too many locals"));
    }

    [Test]
    public void AcceptsLocalsUpToTheCap()
    {
        var groups = Concat([0x02], U32(25_000), [0x7F], U32(25_000), [0x7C]);
        var module = ModuleDecoder.Decode(Module(VoidType, Functions(1), Section(10, Vec(Body(groups, 0x0B)))));
        Assert.That(module.Codes[0].Locals, Has.Length.EqualTo(50_000));
    }

    [Test]
    public void AcceptsNestedBlocksAndIfElse()
    {
        // block (loop (if (else) end) end) end, with an i32.const feeding the if.
        byte[] code = [0x02, 0x40, 0x03, 0x40, 0x41, 0x01, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0B, 0x0B, 0x0B, 0x0B];
        var module = ModuleDecoder.Decode(Module(VoidType, Functions(1), Section(10, Vec(Body(NoLocals, code)))));
        Assert.That(module.Codes[0].Code.Length, Is.EqualTo(code.Length));
    }

    [TestCase(new byte[] { 0x05, 0x0B }, "END opcode expected")]
    [TestCase(new byte[] { 0x02, 0x40, 0x05, 0x0B, 0x0B }, "END opcode expected")]
    [TestCase(new byte[] { 0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0B, 0x0B }, "END opcode expected")]
    [TestCase(new byte[] { 0x06, 0x0B }, "illegal opcode")]
    [TestCase(new byte[] { 0xFC, 0x12, 0x0B }, "illegal opcode")]
    [TestCase(new byte[] { 0x3F, 0x01, 0x0B }, "zero byte expected")]
    [TestCase(new byte[] { 0x0B, 0x01 }, "section size mismatch")]
    public void RejectsMalformedBody(byte[] code, string reason) =>
        Assert.That(Malformed(Module(VoidType, Functions(1), Section(10, Vec(Body(NoLocals, code))))).Reason, Is.EqualTo(reason));

    [Test]
    public void BodyWithoutFinalEndIsUnexpectedEnd()
    {
        var e = Malformed(Module(VoidType, Functions(1), Section(10, Vec(Body(NoLocals, 0x41, 0x01, 0x1A)))));
        Assert.Multiple(() =>
        {
            Assert.That(e.Reason, Is.EqualTo("unexpected end of section or function"));
            Assert.That(e.Offset, Is.EqualTo(Module(VoidType, Functions(1), Section(10, Vec(Body(NoLocals, 0x41, 0x01, 0x1A)))).Length));
        });
    }

    [Test]
    public void RejectsFunctionAndCodeCountMismatch()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Malformed(Module(VoidType, Functions(2), Section(10, Vec(Body(NoLocals, 0x0B))))).Reason,
                Is.EqualTo("function and code section have inconsistent lengths"));
            Assert.That(Malformed(Module(VoidType, Functions(1))).Reason,
                Is.EqualTo("function and code section have inconsistent lengths"));
            Assert.That(Malformed(Module(Section(10, Vec(Body(NoLocals, 0x0B))))).Reason,
                Is.EqualTo("function and code section have inconsistent lengths"));
        });
    }

    [Test]
    public void DecodesDataSegments()
    {
        var module = ModuleDecoder.Decode(Module(
            Section(5, Vec([0x00, 0x01])),
            Section(12, [0x03]),
            Section(11, Vec(
                [0x00, 0x41, 0x10, 0x0B, 0x02, 0xAA, 0xBB],
                [0x01, 0x01, 0xCC],
                [0x02, 0x00, 0x41, 0x20, 0x0B, 0x00]))));
        Assert.Multiple(() =>
        {
            Assert.That(module.DataCount, Is.EqualTo(3u));
            Assert.That(module.Datas.Select(d => d.Mode), Is.EqualTo(new[] { SegmentMode.Active, SegmentMode.Passive, SegmentMode.Active }));
            Assert.That(module.Datas[0].Data.ToArray(), Is.EqualTo(new byte[] { 0xAA, 0xBB }));
            Assert.That(module.Datas[0].OffsetExpr!.Instructions.Single().Immediate, Is.EqualTo(0x10UL));
            Assert.That(module.Datas[1].Data.ToArray(), Is.EqualTo(new byte[] { 0xCC }));
            Assert.That(module.Datas[1].OffsetExpr, Is.Null);
            Assert.That(module.Datas[2].Data.Length, Is.Zero);
            Assert.That(module.Datas[2].OffsetExpr!.Instructions.Single().Immediate, Is.EqualTo(0x20UL));
        });
    }

    [Test]
    public void RejectsBadDataSegments()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Malformed(Module(Section(11, Vec([0x03, 0x00])))).Reason, Is.EqualTo("malformed data segment kind"));
            Assert.That(Malformed(Module(Section(12, [0x02]), Section(11, Vec([0x01, 0x00])))).Reason,
                Is.EqualTo("data count and data section have inconsistent lengths"));
            Assert.That(Malformed(Module(Section(12, [0x01]))).Reason,
                Is.EqualTo("data count and data section have inconsistent lengths"));
        });
    }

    [TestCase(new byte[] { 0xFC, 0x09, 0x00, 0x0B })]
    [TestCase(new byte[] { 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B })]
    public void DataIndexInCodeNeedsDataCount(byte[] code)
    {
        var memory = Section(5, Vec([0x00, 0x01]));
        var data = Section(11, Vec([0x01, 0x00]));
        var code1 = Section(10, Vec(Body(NoLocals, code)));
        Assert.Multiple(() =>
        {
            Assert.That(Malformed(Module(VoidType, Functions(1), memory, code1, data)).Reason, Is.EqualTo("data count section required"));
            Assert.That(ModuleDecoder.Decode(Module(VoidType, Functions(1), memory, Section(12, [0x01]), code1, data)).Codes, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void RejectsOutOfOrderAndRepeatedSections()
    {
        var outOfOrder = Module(Functions(0), VoidType);
        var repeated = Module(VoidType, VoidType);
        var dataCountAfterCode = Module(Section(10, [0x00]), Section(12, [0x00]));
        Assert.Multiple(() =>
        {
            var e = Malformed(outOfOrder);
            Assert.That(e.Reason, Is.EqualTo("unexpected content after last section"));
            Assert.That(e.Offset, Is.EqualTo(11));
            Assert.That(Malformed(repeated).Reason, Is.EqualTo("unexpected content after last section"));
            Assert.That(Malformed(dataCountAfterCode).Reason, Is.EqualTo("unexpected content after last section"));
        });
    }

    [Test]
    public void DataCountGoesBetweenElementAndCode()
    {
        var module = ModuleDecoder.Decode(Module(Section(9, [0x00]), Section(12, [0x00]), Section(10, [0x00]), Section(11, [0x00])));
        Assert.That(module.DataCount, Is.EqualTo(0u));
    }

    [TestCase((byte)13)]
    [TestCase((byte)0x7F)]
    public void RejectsUnknownSectionId(byte id)
    {
        var e = Malformed(Module([id, 0x00]));
        Assert.Multiple(() =>
        {
            Assert.That(e.Reason, Is.EqualTo("malformed section id"));
            Assert.That(e.Offset, Is.EqualTo(8));
        });
    }

    [Test]
    public void KeepsCustomSectionsAnywhere()
    {
        var module = ModuleDecoder.Decode(Module(
            Section(0, Name("first"), [0x01, 0x02]),
            VoidType,
            Section(0, Name("name")),
            Functions(0),
            Section(0, Name("ü"), [0x03])));
        Assert.Multiple(() =>
        {
            Assert.That(module.CustomSections.Select(c => c.Name), Is.EqualTo(new[] { "first", "name", "ü" }));
            Assert.That(module.CustomSections.Select(c => c.AfterSectionId), Is.EqualTo(new byte[] { 0, 1, 3 }));
            Assert.That(module.CustomSections[0].Data.ToArray(), Is.EqualTo(new byte[] { 0x01, 0x02 }));
            Assert.That(module.CustomSections[1].Data.Length, Is.Zero);
            Assert.That(module.CustomSections[0].Offset, Is.EqualTo(8));
        });
    }

    [Test]
    public void RejectsBadCustomSections()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Malformed(Module(Section(0, [0x02, 0xC0, 0x80]))).Reason, Is.EqualTo("malformed UTF-8 encoding"));
            Assert.That(Malformed(Module(Section(0, [0x05, 0x61]))).Reason, Is.EqualTo("length out of bounds"));
            Assert.That(Malformed(Module([0x00, 0x00])).Reason, Does.StartWith("unexpected end"));
        });
    }

    [Test]
    public void RejectsSectionSizeMismatch()
    {
        // Type section claims 5 bytes but its one type takes 4; the fifth belongs to nothing.
        var e = Malformed(Module([0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00]));
        Assert.Multiple(() =>
        {
            Assert.That(e.Reason, Is.EqualTo("section size mismatch"));
            Assert.That(e.Offset, Is.EqualTo(10));
        });
    }

    [Test]
    public void RejectsSectionLongerThanModule() =>
        Assert.That(Malformed(Module([0x01, 0x10, 0x00])).Reason, Is.EqualTo("length out of bounds"));

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    [TestCase(6)]
    [TestCase(9)]
    [TestCase(10)]
    [TestCase(11)]
    public void HugeCountsAreMalformedNotAllocated(int sectionId)
    {
        var e = Malformed(Module(Section((byte)sectionId, U32(uint.MaxValue - 1))));
        Assert.That(e.Reason, Does.StartWith("unexpected end"));
    }

    [Test]
    public void EveryTruncationIsMalformed()
    {
        var sections = RichSections();
        var full = Module(sections);
        Assert.That(ModuleDecoder.Decode(full).Codes, Has.Count.EqualTo(2));

        // A cut between sections can leave a smaller well-formed module (e.g. just the type section);
        // every other cut must be reported as malformed.
        var boundaries = new HashSet<int>();
        var end = Header.Length;
        boundaries.Add(end);
        foreach (var section in sections) boundaries.Add(end += section.Length);

        var decodedAtBoundary = 0;
        for (var length = 0; length < full.Length; length++)
        {
            var prefix = full[..length];
            if (boundaries.Contains(length))
            {
                try
                {
                    ModuleDecoder.Decode(prefix);
                    decodedAtBoundary++;
                }
                catch (MalformedModuleException)
                {
                }
            }
            else
            {
                Assert.Throws<MalformedModuleException>(() => ModuleDecoder.Decode(prefix), $"prefix of {length} bytes");
            }
        }
        // Header only, after the types, after the imports, after the custom section.
        Assert.That(decodedAtBoundary, Is.EqualTo(4));
    }

    [Test]
    public void CorruptedBytesRaiseOnlyMalformed()
    {
        var full = RichModule();
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = (byte[])full.Clone();
            for (var j = random.Next(1, 4); j > 0; j--)
                bytes[random.Next(8, bytes.Length)] = (byte)random.Next(256);
            try
            {
                ModuleDecoder.Decode(bytes);
            }
            catch (MalformedModuleException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"{Convert.ToHexString(bytes)} raised {e}");
            }
        }
    }

    private static byte[] RichModule() => Module(RichSections());

    // The sections of a module touching every section kind.
    private static byte[][] RichSections() =>
    [
        Section(1, Vec([0x60, 0x01, 0x7F, 0x01, 0x7F], [0x60, 0x00, 0x00])),
        Section(2, Vec(Concat(Name("env"), Name("f"), [0x00, 0x01]))),
        Section(0, Name("c"), [0x09]),
        Section(3, Vec([0x00], [0x01])),
        Section(4, Vec([0x70, 0x01, 0x02, 0x02])),
        Section(5, Vec([0x00, 0x01])),
        Section(6, Vec([0x7F, 0x01, 0x41, 0x2A, 0x0B])),
        Section(7, Vec(Concat(Name("g"), [0x00, 0x01]))),
        Section(8, [0x02]),
        Section(9, Vec([0x00, 0x41, 0x00, 0x0B, 0x02, 0x01, 0x02], [0x05, 0x70, 0x01, 0xD2, 0x00, 0x0B])),
        Section(12, [0x02]),
        Section(10, Vec(
            Body([0x01, 0x01, 0x7E], 0x20, 0x00, 0x04, 0x7F, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0B, 0x0E, 0x01, 0x00, 0x00, 0x0B),
            Body(NoLocals, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x01, 0x00, 0xFC, 0x09, 0x00, 0x0B))),
        Section(11, Vec([0x00, 0x41, 0x00, 0x0B, 0x01, 0x61], [0x01, 0x02, 0x62, 0x63])),
    ];
}
