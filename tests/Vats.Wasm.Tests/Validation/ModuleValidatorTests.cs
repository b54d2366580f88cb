using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;
using Vats.Wasm.Validation;
using static Vats.Wasm.Tests.Validation.TestModule;

namespace Vats.Wasm.Tests.Validation;

public sealed class ModuleValidatorTests
{
    private static void Valid(TestModule m) => Assert.DoesNotThrow(() => ModuleValidator.Validate(m.Module));

    private static void Invalid(TestModule m, string reasonPrefix)
    {
        var e = Assert.Throws<InvalidModuleException>(() => ModuleValidator.Validate(m.Module))!;
        Assert.That(e.Reason, Does.StartWith(reasonPrefix));
    }

    [Test]
    public void AcceptsAnEmptyModule() => Valid(new TestModule());

    [Test]
    public void GlobalInitializersAreConstant()
    {
        var add = new TestModule();
        add.Global(ValType.I32, false, Const(
            new ConstInstruction(Opcode.I32Const, 1, 0x10),
            new ConstInstruction(Opcode.I32Const, 2, 0x12),
            new ConstInstruction(Opcode.I32Add, 0, 0x14)));
        Invalid(add, "constant expression required");

        var mutableImport = new TestModule();
        mutableImport.ImportGlobal(ValType.I32, mutable: true);
        mutableImport.Global(ValType.I32, false, Const(new ConstInstruction(Opcode.GlobalGet, 0, 0x10)));
        Invalid(mutableImport, "constant expression required");

        var immutableImport = new TestModule();
        immutableImport.ImportGlobal(ValType.I32, mutable: false);
        immutableImport.Global(ValType.I32, false, Const(new ConstInstruction(Opcode.GlobalGet, 0, 0x10)));
        Valid(immutableImport);
    }

    [Test]
    public void ConstantExpressionsSeeOnlyImportedGlobals()
    {
        var m = new TestModule();
        m.Global(ValType.I32, false, I32(0));
        m.Global(ValType.I32, false, Const(new ConstInstruction(Opcode.GlobalGet, 0, 0x10)));
        Invalid(m, "unknown global 0");
    }

    [Test]
    public void GlobalInitializerTypeMustMatch()
    {
        var wrong = new TestModule();
        wrong.Global(ValType.I64, false, I32(0));
        Invalid(wrong, "type mismatch");

        var empty = new TestModule();
        empty.Global(ValType.I32, false, Const());
        Invalid(empty, "type mismatch");

        var two = new TestModule();
        two.Global(ValType.I32, false, Const(new ConstInstruction(Opcode.I32Const, 1, 0x10), new ConstInstruction(Opcode.I32Const, 2, 0x12)));
        Invalid(two, "type mismatch");

        var funcRef = new TestModule();
        funcRef.Function(VoidType, [0x0B]);
        funcRef.Global(ValType.FuncRef, false, Const(new ConstInstruction(Opcode.RefFunc, 0, 0x10)));
        Valid(funcRef);

        var unknownFunc = new TestModule();
        unknownFunc.Global(ValType.FuncRef, false, Const(new ConstInstruction(Opcode.RefFunc, 3, 0x10)));
        Invalid(unknownFunc, "unknown function 3");
    }

    [Test]
    public void AtMostOneMemory()
    {
        var m = new TestModule();
        m.ImportMemory(1);
        m.Memory();
        Invalid(m, "multiple memories");
    }

    [TestCase(65537u, null, "memory size must be at most 65536 pages (4GiB)")]
    [TestCase(1u, 65537u, "memory size must be at most 65536 pages (4GiB)")]
    [TestCase(2u, 1u, "size minimum must not be greater than maximum")]
    public void MemoryLimits(uint min, uint? max, string reason)
    {
        var m = new TestModule();
        m.Memory(min, max);
        Invalid(m, reason);

        var imported = new TestModule();
        imported.ImportMemory(min, max);
        Invalid(imported, reason);
    }

    [Test]
    public void LargestMemoryIsValid()
    {
        var m = new TestModule();
        m.Memory(65536, 65536);
        Valid(m);
    }

    [Test]
    public void TableLimits()
    {
        var m = new TestModule();
        m.Table(ValType.FuncRef, 2, 1);
        Invalid(m, "size minimum must not be greater than maximum");
    }

    [Test]
    public void ExportNamesAreUnique()
    {
        var m = new TestModule();
        m.Function(VoidType, [0x0B]);
        m.Module.Exports.Add(new Export("a", ExternalKind.Function, 0, 0));
        m.Module.Exports.Add(new Export("a", ExternalKind.Function, 0, 0));
        Invalid(m, "duplicate export name");
    }

    [TestCase(ExternalKind.Function, "unknown function 0")]
    [TestCase(ExternalKind.Table, "unknown table 0")]
    [TestCase(ExternalKind.Memory, "unknown memory 0")]
    [TestCase(ExternalKind.Global, "unknown global 0")]
    public void ExportsNameExistingItems(ExternalKind kind, string reason)
    {
        var m = new TestModule();
        m.Module.Exports.Add(new Export("x", kind, 0, 0));
        Invalid(m, reason);
    }

    [Test]
    public void StartFunctionTakesAndReturnsNothing()
    {
        var m = new TestModule();
        m.Function(TestModule.Sig([ValType.I32], []), [0x0B]);
        m.Module.StartFunction = 0;
        Invalid(m, "start function");

        var missing = new TestModule();
        missing.Module.StartFunction = 0;
        Invalid(missing, "unknown function 0");
    }

    [Test]
    public void FunctionTypeIndexMustExist()
    {
        var m = new TestModule();
        m.Module.FunctionTypeIndices.Add(4);
        m.Module.Codes.Add(new FunctionBody([], new byte[] { 0x0B }, CodeBase));
        Invalid(m, "unknown type 4");
    }

    [Test]
    public void ElementSegments()
    {
        var mismatch = new TestModule();
        mismatch.Function(VoidType, [0x0B]);
        mismatch.Table(ValType.ExternRef);
        mismatch.Module.Elements.Add(new ElementSegment
        {
            Mode = SegmentMode.Active, TableIndex = 0, OffsetExpr = I32(0), ElementType = ValType.FuncRef, Items = [ConstExpr.RefFunc(0, 0x20)],
        });
        Invalid(mismatch, "type mismatch");

        var noTable = new TestModule();
        noTable.Module.Elements.Add(new ElementSegment { Mode = SegmentMode.Active, TableIndex = 0, OffsetExpr = I32(0), ElementType = ValType.FuncRef, Items = [] });
        Invalid(noTable, "unknown table 0");

        var badOffset = new TestModule();
        badOffset.Table(ValType.FuncRef);
        badOffset.Module.Elements.Add(new ElementSegment
        {
            Mode = SegmentMode.Active, OffsetExpr = Const(new ConstInstruction(Opcode.I64Const, 0, 0x10)), ElementType = ValType.FuncRef, Items = [],
        });
        Invalid(badOffset, "type mismatch");

        var badItem = new TestModule();
        badItem.Module.Elements.Add(new ElementSegment { Mode = SegmentMode.Passive, ElementType = ValType.ExternRef, Items = [Const(new ConstInstruction(Opcode.RefNull, 0x70, 0x10))] });
        Invalid(badItem, "type mismatch");

        var declarative = new TestModule();
        declarative.Function(VoidType, [0xD2, 0x00, 0x1A, 0x0B]);
        declarative.Module.Elements.Add(new ElementSegment { Mode = SegmentMode.Declarative, ElementType = ValType.FuncRef, Items = [ConstExpr.RefFunc(0, 0x20)] });
        Valid(declarative);
    }

    [Test]
    public void DataSegmentsNeedAMemory()
    {
        var m = new TestModule();
        m.Module.Datas.Add(new DataSegment { Mode = SegmentMode.Active, OffsetExpr = I32(0), Data = new byte[] { 1 } });
        Invalid(m, "unknown memory 0");

        m.Memory();
        Valid(m);
    }
}
