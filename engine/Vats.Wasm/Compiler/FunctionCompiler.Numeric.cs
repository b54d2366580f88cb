using System.Reflection;
using System.Reflection.Emit;
using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Compiler;

/// <summary>
/// Numeric instructions. Integer operations are plain IL (shift counts masked as wasm requires, division checked
/// explicitly); float operations unpack the bits, compute, and pack the result through the interpreter's
/// <see cref="Interpreter.NumericOps"/> semantics (NaN canonicalization when the module is compiled with it).
/// </summary>
internal sealed partial class FunctionCompiler
{
    private void Binary(OpCode op, ValType result)
    {
        Operands(2);
        _il.Emit(op);
        Consumed(2);
        Push(result);
    }

    private void Unary(ValType result, params OpCode[] ops)
    {
        Operands(1);
        foreach (var op in ops) _il.Emit(op);
        Consumed(1);
        Push(result);
    }

    private void UnaryCall(MethodInfo method, ValType result, params OpCode[] after)
    {
        Operands(1);
        _il.Call(method);
        foreach (var op in after) _il.Emit(op);
        Consumed(1);
        Push(result);
    }

    private void BinaryCall(MethodInfo method, ValType result)
    {
        Operands(2);
        _il.Call(method);
        Consumed(2);
        Push(result);
    }

    /// <summary>Compare then negate: the IL for ne / le / ge.</summary>
    private void CompareNot(OpCode op)
    {
        Operands(2);
        _il.Emit(op);
        _il.LdcI4(0);
        _il.Emit(OpCodes.Ceq);
        Consumed(2);
        Push(ValType.I32);
    }

    private void Shift(OpCode op, bool wide)
    {
        Operands(2);
        if (wide) _il.Emit(OpCodes.Conv_I4);
        _il.LdcI4(wide ? 63 : 31);
        _il.Emit(OpCodes.And);
        _il.Emit(op);
        Consumed(2);
        Push(wide ? ValType.I64 : ValType.I32);
    }

    private void Rotate(MethodInfo method, bool wide)
    {
        Operands(2);
        if (wide) _il.Emit(OpCodes.Conv_I4);
        _il.Call(method);
        Consumed(2);
        Push(wide ? ValType.I64 : ValType.I32);
    }

    private void Divide(bool wide, bool signed, bool remainder)
    {
        var t = wide ? typeof(long) : typeof(int);
        var y = PopToTemp(second: true);
        var x = PopToTemp();
        var spilled = SpillAll();
        _il.Ldloc(y);
        if (wide) { _il.LdcI8(0); _il.Branch(OpCodes.Beq, TrapLabel(TrapKind.IntegerDivideByZero)); }
        else _il.Branch(OpCodes.Brfalse, TrapLabel(TrapKind.IntegerDivideByZero));
        if (signed)
        {
            // INT_MIN / -1 overflows (a trap); INT_MIN % -1 is 0 (IL rem would throw). x % -1 is 0 for every x.
            var normal = _il.DefineLabel();
            _il.Ldloc(y);
            if (wide) _il.LdcI8(-1); else _il.LdcI4(-1);
            _il.Branch(OpCodes.Bne_Un, normal);
            if (remainder)
            {
                if (wide) _il.LdcI8(0); else _il.LdcI4(0);
                _il.Stloc(y);
                _il.Ldloc(y);
                _il.Stloc(x);
                var done = _il.DefineLabel();
                _il.Branch(OpCodes.Br, done);
                _il.Mark(normal);
                _il.Ldloc(x);
                _il.Ldloc(y);
                _il.Emit(OpCodes.Rem);
                _il.Stloc(x);
                _il.Mark(done);
                Reload(spilled);
                _il.Ldloc(x);
                Push(wide ? ValType.I64 : ValType.I32);
                return;
            }
            _il.Ldloc(x);
            if (wide) _il.LdcI8(long.MinValue); else _il.LdcI4(int.MinValue);
            _il.Branch(OpCodes.Beq, TrapLabel(TrapKind.IntegerOverflow));
            _il.Mark(normal);
        }
        Reload(spilled);
        _il.Ldloc(x);
        _il.Ldloc(y);
        _il.Emit(signed ? (remainder ? OpCodes.Rem : OpCodes.Div) : (remainder ? OpCodes.Rem_Un : OpCodes.Div_Un));
        Push(wide ? ValType.I64 : ValType.I32);
        _ = t;
    }

    /// <summary>Trapping float → int truncation through the interpreter's checks (0 ok, 1 NaN, 2 out of range).</summary>
    private void Truncate(MethodInfo check, bool fromF32, ValType result)
    {
        Operands(1);
        Unpack(fromF32 ? ValType.F32 : ValType.F64);
        if (fromF32) _il.Emit(OpCodes.Conv_R8);
        var outType = check.GetParameters()[1].ParameterType.GetElementType()!;
        var value = Temp(outType, second: true);
        _il.Ldloca(value);
        _il.Call(check);
        _il.Stloc(_trapKind);
        Consumed(1);
        var spilled = SpillAll();
        _il.Ldloc(_trapKind);
        _il.Branch(OpCodes.Brtrue, TrapLabel(TrapKind.IntegerOverflow, _offset, TruncationKind));
        Reload(spilled);
        _il.Ldloc(value);
        Push(result);
    }

    /// <summary>Bits on the IL stack → float / double.</summary>
    private void Unpack(ValType type) => _il.Call(type == ValType.F32 ? Members.Int32BitsToSingle : Members.Int64BitsToDouble);

    /// <summary>Float / double on the IL stack → bits, canonicalizing NaN if the module asks for it.</summary>
    private void Pack(ValType type)
    {
        if (_module.Canonicalize) _il.Call(type == ValType.F32 ? _module.CanonicalF32 : _module.CanonicalF64);
        else _il.Call(type == ValType.F32 ? Members.SingleToInt32Bits : Members.DoubleToInt64Bits);
    }

    private void FloatBinary(ValType type, OpCode? op, MethodInfo? method = null)
    {
        Operands(2);
        var temp = Temp(type == ValType.F32 ? typeof(float) : typeof(double));
        Unpack(type);
        _il.Stloc(temp);
        Unpack(type);
        _il.Ldloc(temp);
        if (op is { } o) _il.Emit(o);
        else _il.Call(method!);
        Pack(type);
        Consumed(2);
        Push(type);
    }

    private void FloatCompare(ValType type, OpCode op, bool negate)
    {
        Operands(2);
        var temp = Temp(type == ValType.F32 ? typeof(float) : typeof(double));
        Unpack(type);
        _il.Stloc(temp);
        Unpack(type);
        _il.Ldloc(temp);
        _il.Emit(op);
        if (negate)
        {
            _il.LdcI4(0);
            _il.Emit(OpCodes.Ceq);
        }
        Consumed(2);
        Push(ValType.I32);
    }

    private void FloatUnary(ValType type, MethodInfo method)
    {
        Operands(1);
        Unpack(type);
        _il.Call(method);
        Pack(type);
        Consumed(1);
        Push(type);
    }

    /// <summary>abs / neg / copysign work on the bits, as the interpreter does (no canonicalization).</summary>
    private void SignBits(ValType type, bool clear, bool flip)
    {
        var wide = type == ValType.F64;
        Operands(1);
        if (wide) _il.LdcI8(clear ? long.MaxValue : long.MinValue); else _il.LdcI4(clear ? int.MaxValue : int.MinValue);
        _il.Emit(flip ? OpCodes.Xor : OpCodes.And);
        Consumed(1);
        Push(type);
    }

    private void CopySign(ValType type)
    {
        var wide = type == ValType.F64;
        Operands(2);
        if (wide) _il.LdcI8(long.MinValue); else _il.LdcI4(int.MinValue);
        _il.Emit(OpCodes.And);
        var sign = Temp(wide ? typeof(long) : typeof(int), second: true);
        _il.Stloc(sign);
        if (wide) _il.LdcI8(long.MaxValue); else _il.LdcI4(int.MaxValue);
        _il.Emit(OpCodes.And);
        _il.Ldloc(sign);
        _il.Emit(OpCodes.Or);
        Consumed(2);
        Push(type);
    }

    private void Convert(ValType from, ValType to, Action body)
    {
        Operands(1);
        if (from is ValType.F32 or ValType.F64) Unpack(from);
        body();
        Consumed(1);
        Push(to);
    }

    private void TranslateNumeric(Opcode op)
    {
        switch (op)
        {
            case Opcode.I32Eqz: Unary(ValType.I32, OpCodes.Ldc_I4_0, OpCodes.Ceq); return;
            case Opcode.I64Eqz: Operands(1); _il.LdcI8(0); _il.Emit(OpCodes.Ceq); Consumed(1); Push(ValType.I32); return;
            case Opcode.I32Eq or Opcode.I64Eq: Binary(OpCodes.Ceq, ValType.I32); return;
            case Opcode.I32Ne or Opcode.I64Ne: CompareNot(OpCodes.Ceq); return;
            case Opcode.I32LtS or Opcode.I64LtS: Binary(OpCodes.Clt, ValType.I32); return;
            case Opcode.I32LtU or Opcode.I64LtU: Binary(OpCodes.Clt_Un, ValType.I32); return;
            case Opcode.I32GtS or Opcode.I64GtS: Binary(OpCodes.Cgt, ValType.I32); return;
            case Opcode.I32GtU or Opcode.I64GtU: Binary(OpCodes.Cgt_Un, ValType.I32); return;
            case Opcode.I32LeS or Opcode.I64LeS: CompareNot(OpCodes.Cgt); return;
            case Opcode.I32LeU or Opcode.I64LeU: CompareNot(OpCodes.Cgt_Un); return;
            case Opcode.I32GeS or Opcode.I64GeS: CompareNot(OpCodes.Clt); return;
            case Opcode.I32GeU or Opcode.I64GeU: CompareNot(OpCodes.Clt_Un); return;
            case Opcode.F32Eq or Opcode.F64Eq: FloatCompare(op == Opcode.F32Eq ? ValType.F32 : ValType.F64, OpCodes.Ceq, false); return;
            case Opcode.F32Ne or Opcode.F64Ne: FloatCompare(op == Opcode.F32Ne ? ValType.F32 : ValType.F64, OpCodes.Ceq, true); return;
            case Opcode.F32Lt or Opcode.F64Lt: FloatCompare(op == Opcode.F32Lt ? ValType.F32 : ValType.F64, OpCodes.Clt, false); return;
            case Opcode.F32Gt or Opcode.F64Gt: FloatCompare(op == Opcode.F32Gt ? ValType.F32 : ValType.F64, OpCodes.Cgt, false); return;
            // a <= b is !(a > b or unordered); a >= b is !(a < b or unordered).
            case Opcode.F32Le or Opcode.F64Le: FloatCompare(op == Opcode.F32Le ? ValType.F32 : ValType.F64, OpCodes.Cgt_Un, true); return;
            case Opcode.F32Ge or Opcode.F64Ge: FloatCompare(op == Opcode.F32Ge ? ValType.F32 : ValType.F64, OpCodes.Clt_Un, true); return;

            case Opcode.I32Clz: UnaryCall(Members.Lzcnt32, ValType.I32); return;
            case Opcode.I32Ctz: UnaryCall(Members.Tzcnt32, ValType.I32); return;
            case Opcode.I32Popcnt: UnaryCall(Members.Popcnt32, ValType.I32); return;
            case Opcode.I64Clz: UnaryCall(Members.Lzcnt64, ValType.I64, OpCodes.Conv_I8); return;
            case Opcode.I64Ctz: UnaryCall(Members.Tzcnt64, ValType.I64, OpCodes.Conv_I8); return;
            case Opcode.I64Popcnt: UnaryCall(Members.Popcnt64, ValType.I64, OpCodes.Conv_I8); return;
            case Opcode.I32Add: Binary(OpCodes.Add, ValType.I32); return;
            case Opcode.I32Sub: Binary(OpCodes.Sub, ValType.I32); return;
            case Opcode.I32Mul: Binary(OpCodes.Mul, ValType.I32); return;
            case Opcode.I32And: Binary(OpCodes.And, ValType.I32); return;
            case Opcode.I32Or: Binary(OpCodes.Or, ValType.I32); return;
            case Opcode.I32Xor: Binary(OpCodes.Xor, ValType.I32); return;
            case Opcode.I64Add: Binary(OpCodes.Add, ValType.I64); return;
            case Opcode.I64Sub: Binary(OpCodes.Sub, ValType.I64); return;
            case Opcode.I64Mul: Binary(OpCodes.Mul, ValType.I64); return;
            case Opcode.I64And: Binary(OpCodes.And, ValType.I64); return;
            case Opcode.I64Or: Binary(OpCodes.Or, ValType.I64); return;
            case Opcode.I64Xor: Binary(OpCodes.Xor, ValType.I64); return;
            case Opcode.I32Shl: Shift(OpCodes.Shl, false); return;
            case Opcode.I32ShrS: Shift(OpCodes.Shr, false); return;
            case Opcode.I32ShrU: Shift(OpCodes.Shr_Un, false); return;
            case Opcode.I64Shl: Shift(OpCodes.Shl, true); return;
            case Opcode.I64ShrS: Shift(OpCodes.Shr, true); return;
            case Opcode.I64ShrU: Shift(OpCodes.Shr_Un, true); return;
            case Opcode.I32Rotl: Rotate(Members.Rotl32, false); return;
            case Opcode.I32Rotr: Rotate(Members.Rotr32, false); return;
            case Opcode.I64Rotl: Rotate(Members.Rotl64, true); return;
            case Opcode.I64Rotr: Rotate(Members.Rotr64, true); return;
            case Opcode.I32DivS: Divide(false, true, false); return;
            case Opcode.I32DivU: Divide(false, false, false); return;
            case Opcode.I32RemS: Divide(false, true, true); return;
            case Opcode.I32RemU: Divide(false, false, true); return;
            case Opcode.I64DivS: Divide(true, true, false); return;
            case Opcode.I64DivU: Divide(true, false, false); return;
            case Opcode.I64RemS: Divide(true, true, true); return;
            case Opcode.I64RemU: Divide(true, false, true); return;

            case Opcode.F32Add: FloatBinary(ValType.F32, OpCodes.Add); return;
            case Opcode.F32Sub: FloatBinary(ValType.F32, OpCodes.Sub); return;
            case Opcode.F32Mul: FloatBinary(ValType.F32, OpCodes.Mul); return;
            case Opcode.F32Div: FloatBinary(ValType.F32, OpCodes.Div); return;
            case Opcode.F32Min: FloatBinary(ValType.F32, null, Members.MinF32); return;
            case Opcode.F32Max: FloatBinary(ValType.F32, null, Members.MaxF32); return;
            case Opcode.F64Add: FloatBinary(ValType.F64, OpCodes.Add); return;
            case Opcode.F64Sub: FloatBinary(ValType.F64, OpCodes.Sub); return;
            case Opcode.F64Mul: FloatBinary(ValType.F64, OpCodes.Mul); return;
            case Opcode.F64Div: FloatBinary(ValType.F64, OpCodes.Div); return;
            case Opcode.F64Min: FloatBinary(ValType.F64, null, Members.MinF64); return;
            case Opcode.F64Max: FloatBinary(ValType.F64, null, Members.MaxF64); return;
            case Opcode.F32Copysign: CopySign(ValType.F32); return;
            case Opcode.F64Copysign: CopySign(ValType.F64); return;
            case Opcode.F32Abs: SignBits(ValType.F32, clear: true, flip: false); return;
            case Opcode.F64Abs: SignBits(ValType.F64, clear: true, flip: false); return;
            case Opcode.F32Neg: SignBits(ValType.F32, clear: false, flip: true); return;
            case Opcode.F64Neg: SignBits(ValType.F64, clear: false, flip: true); return;
            case Opcode.F32Ceil: FloatUnary(ValType.F32, Members.CeilF32); return;
            case Opcode.F32Floor: FloatUnary(ValType.F32, Members.FloorF32); return;
            case Opcode.F32Trunc: FloatUnary(ValType.F32, Members.TruncF32); return;
            case Opcode.F32Nearest: FloatUnary(ValType.F32, Members.NearestF32); return;
            case Opcode.F32Sqrt: FloatUnary(ValType.F32, Members.SqrtF32); return;
            case Opcode.F64Ceil: FloatUnary(ValType.F64, Members.CeilF64); return;
            case Opcode.F64Floor: FloatUnary(ValType.F64, Members.FloorF64); return;
            case Opcode.F64Trunc: FloatUnary(ValType.F64, Members.TruncF64); return;
            case Opcode.F64Nearest: FloatUnary(ValType.F64, Members.NearestF64); return;
            case Opcode.F64Sqrt: FloatUnary(ValType.F64, Members.SqrtF64); return;

            case Opcode.I32WrapI64: Unary(ValType.I32, OpCodes.Conv_I4); return;
            case Opcode.I64ExtendI32S: Unary(ValType.I64, OpCodes.Conv_I8); return;
            case Opcode.I64ExtendI32U: Unary(ValType.I64, OpCodes.Conv_U8); return;
            case Opcode.I32Extend8S: Unary(ValType.I32, OpCodes.Conv_I1); return;
            case Opcode.I32Extend16S: Unary(ValType.I32, OpCodes.Conv_I2); return;
            case Opcode.I64Extend8S: Unary(ValType.I64, OpCodes.Conv_I1, OpCodes.Conv_I8); return;
            case Opcode.I64Extend16S: Unary(ValType.I64, OpCodes.Conv_I2, OpCodes.Conv_I8); return;
            case Opcode.I64Extend32S: Unary(ValType.I64, OpCodes.Conv_I4, OpCodes.Conv_I8); return;
            case Opcode.I32ReinterpretF32 or Opcode.F32ReinterpretI32 or Opcode.I64ReinterpretF64 or Opcode.F64ReinterpretI64:
                Operands(1);
                var type = op switch { Opcode.I32ReinterpretF32 => ValType.I32, Opcode.F32ReinterpretI32 => ValType.F32, Opcode.I64ReinterpretF64 => ValType.I64, _ => ValType.F64 };
                Consumed(1);
                Push(type);
                return;

            case Opcode.I32TruncF32S: Truncate(Members.TruncI32S, true, ValType.I32); return;
            case Opcode.I32TruncF32U: Truncate(Members.TruncI32U, true, ValType.I32); return;
            case Opcode.I32TruncF64S: Truncate(Members.TruncI32S, false, ValType.I32); return;
            case Opcode.I32TruncF64U: Truncate(Members.TruncI32U, false, ValType.I32); return;
            case Opcode.I64TruncF32S: Truncate(Members.TruncI64S, true, ValType.I64); return;
            case Opcode.I64TruncF32U: Truncate(Members.TruncI64U, true, ValType.I64); return;
            case Opcode.I64TruncF64S: Truncate(Members.TruncI64S, false, ValType.I64); return;
            case Opcode.I64TruncF64U: Truncate(Members.TruncI64U, false, ValType.I64); return;
            case >= Opcode.I32TruncSatF32S and <= Opcode.I64TruncSatF64U:
            {
                var fromF32 = op is Opcode.I32TruncSatF32S or Opcode.I32TruncSatF32U or Opcode.I64TruncSatF32S or Opcode.I64TruncSatF32U;
                var to = op <= Opcode.I32TruncSatF64U ? ValType.I32 : ValType.I64;
                var method = op switch
                {
                    Opcode.I32TruncSatF32S or Opcode.I32TruncSatF64S => Members.SatI32S,
                    Opcode.I32TruncSatF32U or Opcode.I32TruncSatF64U => Members.SatI32U,
                    Opcode.I64TruncSatF32S or Opcode.I64TruncSatF64S => Members.SatI64S,
                    _ => Members.SatI64U,
                };
                Convert(fromF32 ? ValType.F32 : ValType.F64, to, () =>
                {
                    if (fromF32) _il.Emit(OpCodes.Conv_R8);
                    _il.Call(method);
                });
                return;
            }
            case Opcode.F32ConvertI32S: Convert(ValType.I32, ValType.F32, () => { _il.Emit(OpCodes.Conv_R4); Pack(ValType.F32); }); return;
            case Opcode.F32ConvertI32U: Convert(ValType.I32, ValType.F32, () => { _il.Emit(OpCodes.Conv_R_Un); _il.Emit(OpCodes.Conv_R4); Pack(ValType.F32); }); return;
            case Opcode.F32ConvertI64S: Convert(ValType.I64, ValType.F32, () => { _il.Call(Members.I64ToF32); Pack(ValType.F32); }); return;
            case Opcode.F32ConvertI64U: Convert(ValType.I64, ValType.F32, () => { _il.Call(Members.U64ToF32); Pack(ValType.F32); }); return;
            case Opcode.F32DemoteF64: Convert(ValType.F64, ValType.F32, () => { _il.Emit(OpCodes.Conv_R4); Pack(ValType.F32); }); return;
            case Opcode.F64ConvertI32S: Convert(ValType.I32, ValType.F64, () => { _il.Emit(OpCodes.Conv_R8); Pack(ValType.F64); }); return;
            case Opcode.F64ConvertI32U: Convert(ValType.I32, ValType.F64, () => { _il.Emit(OpCodes.Conv_R_Un); _il.Emit(OpCodes.Conv_R8); Pack(ValType.F64); }); return;
            case Opcode.F64ConvertI64S: Convert(ValType.I64, ValType.F64, () => { _il.Emit(OpCodes.Conv_R8); Pack(ValType.F64); }); return;
            case Opcode.F64ConvertI64U: Convert(ValType.I64, ValType.F64, () => { _il.Call(Members.U64ToF64); Pack(ValType.F64); }); return;
            case Opcode.F64PromoteF32: Convert(ValType.F32, ValType.F64, () => { _il.Emit(OpCodes.Conv_R8); Pack(ValType.F64); }); return;
            default:
                throw new InvalidModuleException(_offset, $"unsupported instruction {op}", _index);
        }
    }
}
