using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;
using Vats.Wasm.Validation;
using static Vats.Wasm.Tests.Validation.TestModule;

namespace Vats.Wasm.Tests.Validation;

public sealed class FunctionValidatorTests
{
    private const ValType I32 = ValType.I32;
    private const ValType I64 = ValType.I64;

    private static void Valid(TestModule m) => Assert.DoesNotThrow(() => ModuleValidator.Validate(m.Module));

    private static InvalidModuleException Invalid(TestModule m, string reasonPrefix)
    {
        var e = Assert.Throws<InvalidModuleException>(() => ModuleValidator.Validate(m.Module))!;
        Assert.That(e.Reason, Does.StartWith(reasonPrefix));
        return e;
    }

    private static TestModule One(FuncType type, byte[] code, params ValType[] locals)
    {
        var m = new TestModule();
        m.Function(type, code, locals);
        return m;
    }

    [Test]
    public void AcceptsWellTypedArithmetic() =>
        Valid(One(Sig([I32, I32], [I32]), [0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B]));

    [Test]
    public void ReportsTypeMismatchAtTheInstruction()
    {
        // i32.const 1; i64.const 1; i32.add
        var e = Invalid(One(Sig([], [I32]), [0x41, 0x01, 0x42, 0x01, 0x6A, 0x0B]), "type mismatch");
        Assert.Multiple(() =>
        {
            Assert.That(e.Offset, Is.EqualTo(CodeBase + 4));
            Assert.That(e.FunctionIndex, Is.EqualTo(0));
            Assert.That(e.Reason, Does.Contain("expected i32 but found i64"));
        });
    }

    [Test]
    public void FunctionIndexCountsImports()
    {
        var m = new TestModule();
        m.ImportFunction(VoidType);
        m.Function(Sig([], [I32]), [0x0B]);
        Assert.That(Invalid(m, "type mismatch").FunctionIndex, Is.EqualTo(1));
    }

    [Test]
    public void LocalsFollowParameters()
    {
        Valid(One(Sig([I32], [I64]), [0x20, 0x01, 0x0B], I64));
        Invalid(One(Sig([I32], []), [0x20, 0x01, 0x1A, 0x0B]), "unknown local 1");
    }

    [TestCase(new byte[] { 0x0B }, TestName = "missing result")]
    [TestCase(new byte[] { 0x41, 0x00, 0x41, 0x00, 0x0B }, TestName = "extra result")]
    [TestCase(new byte[] { 0x00, 0x42, 0x00, 0x6A, 0x0B }, TestName = "concrete operand after unreachable")]
    [TestCase(new byte[] { 0x02, 0x40, 0x00, 0x0B, 0x6A, 0x0B }, TestName = "polymorphism ends with the block")]
    [TestCase(new byte[] { 0x41, 0x01, 0x04, 0x7F, 0x41, 0x01, 0x0B, 0x0B }, TestName = "if with a result needs an else")]
    [TestCase(new byte[] { 0x41, 0x01, 0x0F, 0x42, 0x00, 0x0B }, TestName = "values pushed after return still count")]
    [TestCase(new byte[] { 0x41, 0x00, 0x02, 0x40, 0x1A, 0x0B, 0x0B }, TestName = "block cannot see outer operands")]
    public void RejectsMistypedBodies(byte[] code) => Invalid(One(Sig([], [I32]), code), "type mismatch");

    [TestCase(new byte[] { 0x00, 0x6A, 0x0B }, TestName = "unreachable feeds any operands")]
    [TestCase(new byte[] { 0x00, 0x0B }, TestName = "unreachable satisfies the result")]
    [TestCase(new byte[] { 0x02, 0x7F, 0x41, 0x01, 0x0C, 0x00, 0x0B, 0x0B }, TestName = "br with the label's value")]
    [TestCase(new byte[] { 0x41, 0x01, 0x0F, 0x6A, 0x0B }, TestName = "code after return is polymorphic")]
    [TestCase(new byte[] { 0x41, 0x01, 0x04, 0x7F, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0B, 0x0B }, TestName = "if else with result")]
    [TestCase(new byte[] { 0x03, 0x7F, 0x0C, 0x00, 0x0B, 0x0B }, TestName = "loop label takes the loop's parameters")]
    public void AcceptsWellTypedControl(byte[] code) => Valid(One(Sig([], [I32]), code));

    [Test]
    public void MultiValueBlocksTakeParameters()
    {
        var m = new TestModule();
        m.Function(Sig([], [I32]), [0x41, 0x01, 0x02, 0x01, 0x41, 0x02, 0x0B, 0x6A, 0x0B]);
        m.Type(Sig([I32], [I32, I32])); // type 1
        Valid(m);
    }

    [Test]
    public void BlockTypeIndexMustExist() =>
        Invalid(One(VoidType, [0x02, 0x05, 0x0B, 0x0B]), "unknown type 5");

    [Test]
    public void BranchDepthMustExist() =>
        Invalid(One(VoidType, [0x0C, 0x01, 0x0B]), "unknown label 1");

    [Test]
    public void BrTableTargetsMustAgreeOnArity() =>
        Invalid(One(VoidType, [0x02, 0x7F, 0x02, 0x40, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x41, 0x00, 0x0B, 0x1A, 0x0B]), "type mismatch");

    [Test]
    public void BrTableInUnreachableCodeChecksEachTargetSeparately() =>
        // block (result f32) block (result i64) unreachable br_table 0 1 end drop f32.const 0 end drop
        Valid(One(VoidType, [0x02, 0x7D, 0x02, 0x7E, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x1A, 0x43, 0, 0, 0, 0, 0x0B, 0x1A, 0x0B]));

    [Test]
    public void BrTableChecksConcreteOperandsAgainstEveryTarget() =>
        // block (result f32) block (result i64) i64.const 0 i32.const 0 br_table 0 1 ...
        Invalid(One(VoidType, [0x02, 0x7D, 0x02, 0x7E, 0x42, 0x00, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x1A, 0x43, 0, 0, 0, 0, 0x0B, 0x1A, 0x0B]), "type mismatch");

    [TestCase(new byte[] { 0x05, 0x0B }, TestName = "else without if")]
    [TestCase(new byte[] { 0x0B, 0x01 }, TestName = "code after the final end")]
    [TestCase(new byte[] { 0x41, 0x00, 0x1A }, TestName = "missing final end")]
    public void RejectsBrokenStructureAsMalformed(byte[] code) =>
        Assert.Throws<MalformedModuleException>(() => ModuleValidator.Validate(One(VoidType, code).Module));

    [Test]
    public void TypedSelectNeedsExactlyOneType() =>
        Invalid(One(VoidType, [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1C, 0x02, 0x7F, 0x7F, 0x1A, 0x0B]), "invalid result arity");

    [Test]
    public void UntypedSelectRejectsReferences() =>
        Invalid(One(VoidType, [0xD0, 0x70, 0xD0, 0x70, 0x41, 0x00, 0x1B, 0x1A, 0x0B]), "type mismatch");

    [Test]
    public void TypedSelectAcceptsReferences() =>
        Valid(One(VoidType, [0xD0, 0x70, 0xD0, 0x70, 0x41, 0x00, 0x1C, 0x01, 0x70, 0x1A, 0x0B]));

    [Test]
    public void SelectOperandsMustMatch() =>
        Invalid(One(VoidType, [0x41, 0x00, 0x42, 0x00, 0x41, 0x00, 0x1B, 0x1A, 0x0B]), "type mismatch");

    [Test]
    public void GlobalsMustExistAndBeMutableToSet()
    {
        var m = new TestModule();
        m.ImportGlobal(I32, mutable: false);
        m.Function(VoidType, [0x41, 0x00, 0x24, 0x00, 0x0B]);
        Invalid(m, "global is immutable");

        Invalid(One(VoidType, [0x23, 0x03, 0x1A, 0x0B]), "unknown global 3");

        var ok = new TestModule();
        ok.ImportGlobal(I64, mutable: true);
        ok.Function(VoidType, [0x23, 0x00, 0x24, 0x00, 0x0B]);
        Valid(ok);
    }

    [Test]
    public void MemoryInstructionsNeedAMemory() =>
        Invalid(One(VoidType, [0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0x0B]), "unknown memory 0");

    [TestCase(new byte[] { 0x41, 0x00, 0x28, 0x03, 0x00, 0x1A, 0x0B }, false, TestName = "i32.load align 8")]
    [TestCase(new byte[] { 0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0x0B }, true, TestName = "i32.load align 4")]
    [TestCase(new byte[] { 0x41, 0x00, 0x29, 0x03, 0x00, 0x1A, 0x0B }, true, TestName = "i64.load align 8")]
    [TestCase(new byte[] { 0x41, 0x00, 0x2D, 0x01, 0x00, 0x1A, 0x0B }, false, TestName = "i32.load8_u align 2")]
    [TestCase(new byte[] { 0x41, 0x00, 0x42, 0x00, 0x3E, 0x02, 0x00, 0x0B }, true, TestName = "i64.store32 align 4")]
    [TestCase(new byte[] { 0x41, 0x00, 0x42, 0x00, 0x3E, 0x03, 0x00, 0x0B }, false, TestName = "i64.store32 align 8")]
    public void AlignmentIsAtMostNatural(byte[] code, bool valid)
    {
        var m = One(VoidType, code);
        m.Memory();
        if (valid) Valid(m);
        else Invalid(m, "alignment must not be larger than natural");
    }

    [Test]
    public void DataInstructionsNeedTheDataCountSection()
    {
        var m = new TestModule();
        m.Memory();
        m.Module.Datas.Add(new DataSegment { Mode = SegmentMode.Passive, Data = new byte[] { 1 } });
        m.Function(VoidType, [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B]);
        var e = Assert.Throws<MalformedModuleException>(() => ModuleValidator.Validate(m.Module))!;
        Assert.That(e.Reason, Is.EqualTo("data count section required"));

        m.Module.DataCount = 1;
        Valid(m);
    }

    [Test]
    public void DataDropIndexMustExist()
    {
        var m = new TestModule();
        m.Module.Datas.Add(new DataSegment { Mode = SegmentMode.Passive, Data = new byte[] { 1 } });
        m.Module.DataCount = 1;
        m.Function(VoidType, [0xFC, 0x09, 0x01, 0x0B]);
        Invalid(m, "unknown data segment 1");
    }

    [Test]
    public void RefFuncNeedsADeclaration()
    {
        var m = new TestModule();
        m.Function(VoidType, [0xD2, 0x01, 0x1A, 0x0B]);
        m.Function(VoidType, [0x0B]);
        Invalid(m, "undeclared function reference");

        m.Module.Exports.Add(new Export("f", ExternalKind.Function, 1, 0));
        Valid(m);
    }

    [Test]
    public void CallIndirectNeedsAFuncrefTable()
    {
        var code = new byte[] { 0x41, 0x00, 0x11, 0x00, 0x00, 0x0B };
        Invalid(One(VoidType, code), "unknown table 0");

        var externs = One(VoidType, code);
        externs.Table(ValType.ExternRef);
        Invalid(externs, "type mismatch");

        var funcs = One(VoidType, code);
        funcs.Table(ValType.FuncRef);
        Valid(funcs);
    }

    [Test]
    public void CallChecksArguments()
    {
        var m = new TestModule();
        m.ImportFunction(Sig([I32, I64], [I32]));
        m.Function(Sig([], [I32]), [0x41, 0x00, 0x42, 0x00, 0x10, 0x00, 0x0B]);
        Valid(m);

        var swapped = new TestModule();
        swapped.ImportFunction(Sig([I32, I64], [I32]));
        swapped.Function(Sig([], [I32]), [0x42, 0x00, 0x41, 0x00, 0x10, 0x00, 0x0B]);
        Invalid(swapped, "type mismatch");

        Invalid(One(VoidType, [0x10, 0x07, 0x0B]), "unknown function 7");
    }

    [Test]
    public void RefIsNullNeedsAReference()
    {
        Invalid(One(VoidType, [0x41, 0x00, 0xD1, 0x1A, 0x0B]), "type mismatch");
        Valid(One(VoidType, [0xD0, 0x6F, 0xD1, 0x1A, 0x0B]));
        Valid(One(VoidType, [0x00, 0xD1, 0x1A, 0x0B]));
    }

    [Test]
    public void TableOperationsCheckElementTypes()
    {
        var copy = One(VoidType, [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0E, 0x00, 0x01, 0x0B]);
        copy.Table(ValType.FuncRef);
        copy.Table(ValType.ExternRef);
        Invalid(copy, "type mismatch");

        var init = One(VoidType, [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0C, 0x00, 0x00, 0x0B]);
        init.Table(ValType.ExternRef);
        init.Module.Elements.Add(new ElementSegment { Mode = SegmentMode.Passive, ElementType = ValType.FuncRef, Items = [] });
        Invalid(init, "type mismatch");

        var drop = One(VoidType, [0xFC, 0x0D, 0x00, 0x0B]);
        Invalid(drop, "unknown elem segment 0");

        // table.set 0 (i32.const 0) (ref.null extern) on a funcref table
        var set = One(VoidType, [0x41, 0x00, 0xD0, 0x6F, 0x26, 0x00, 0x0B]);
        set.Table(ValType.FuncRef);
        Invalid(set, "type mismatch");

        // table.grow 0 (ref.null func) (i32.const 1) → i32
        var grow = One(Sig([], [I32]), [0xD0, 0x70, 0x41, 0x01, 0xFC, 0x0F, 0x00, 0x0B]);
        grow.Table(ValType.FuncRef);
        Valid(grow);
    }

    [Test]
    public void EveryNumericOpcodeHasASignature()
    {
        for (var op = NumericSignatures.FirstOpcode; op <= (int)Opcode.I64Extend32S; op++)
        {
            var signature = NumericSignatures.Of((Opcode)op);
            Assert.That((ValType)(byte)signature, Is.AnyOf(ValType.I32, ValType.I64, ValType.F32, ValType.F64), $"opcode 0x{op:x2}");
            Assert.That((ValType)(byte)(signature >> 16), Is.AnyOf(ValType.I32, ValType.I64, ValType.F32, ValType.F64), $"opcode 0x{op:x2}");
        }
    }
}
