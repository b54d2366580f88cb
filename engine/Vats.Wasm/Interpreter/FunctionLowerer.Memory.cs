using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Interpreter;

/// <summary>Loads, stores, memory size/grow, bulk memory, and table operations.</summary>
internal sealed partial class FunctionLowerer
{
    private void LowerMemory(in Instruction ins)
    {
        var op = ins.Opcode;
        switch (op)
        {
            case >= Opcode.I32Load and <= Opcode.I64Load32U:
            {
                var plain = Op.I32Load + (op - Opcode.I32Load);
                var local = -1;
                if ((LoadsWithAddend.TryGetValue(plain, out var fused) && TakeAddImmediate(out var x, out var k))
                    || (LoadsWithAddendTee.TryGetValue(plain, out fused) && TakeAddImmediateTee(out x, out k, out local)))
                {
                    var dst = PushSlot();
                    Emit(fused);
                    PutDst(dst);
                    Put(x);
                    Put((int)ins.B);
                    Put(k);
                    if (local >= 0) Put(local);
                    return;
                }
                var a = PopSlot();
                var d = PushSlot();
                Emit(Op.I32Load + (op - Opcode.I32Load));
                PutDst(d);
                Put(a);
                Put((int)ins.B);
                return;
            }
            case >= Opcode.I32Store and <= Opcode.I64Store32:
            {
                var plain = Op.I32Load + (op - Opcode.I32Load);
                var v = PopSlot();
                if (StoresWithAddend.TryGetValue(plain, out var fused) && TakeAddImmediate(out var x, out var k))
                {
                    Emit(fused);
                    Put(x);
                    Put(v);
                    Put((int)ins.B);
                    Put(k);
                    return;
                }
                var a = PopSlot();
                Emit(plain);
                Put(a);
                Put(v);
                Put((int)ins.B);
                return;
            }
            case Opcode.MemorySize:
            {
                var d = PushSlot();
                Emit(Op.MemorySize);
                PutDst(d);
                return;
            }
            case Opcode.MemoryGrow:
            {
                var s = PopSlot();
                var d = PushSlot();
                Emit(Op.MemoryGrow);
                PutDst(d);
                Put(s);
                return;
            }
            case Opcode.MemoryInit:
                Operands3(Op.MemoryInit, (int)ins.A);
                return;
            case Opcode.DataDrop:
                Emit(Op.DataDrop);
                Put((int)ins.A);
                return;
            case Opcode.MemoryCopy:
                Operands3(Op.MemoryCopy);
                return;
            case Opcode.MemoryFill:
                Operands3(Op.MemoryFill);
                return;
            default:
                throw new InvalidModuleException(ins.Offset, $"unsupported instruction {op}", _function.Index);
        }
    }

    private void LowerTable(in Instruction ins)
    {
        switch (ins.Opcode)
        {
            case Opcode.TableGet:
            {
                var i = PopSlot();
                var d = PushSlot();
                Emit(Op.TableGet);
                PutDst(d);
                Put((int)ins.A);
                Put(i);
                return;
            }
            case Opcode.TableSet:
            {
                var v = PopSlot();
                var i = PopSlot();
                Emit(Op.TableSet);
                Put((int)ins.A);
                Put(i);
                Put(v);
                return;
            }
            case Opcode.TableInit:
                Operands3(Op.TableInit, (int)ins.B, (int)ins.A);
                return;
            case Opcode.ElemDrop:
                Emit(Op.ElemDrop);
                Put((int)ins.A);
                return;
            case Opcode.TableCopy:
                Operands3(Op.TableCopy, (int)ins.A, (int)ins.B);
                return;
            case Opcode.TableGrow:
            {
                var n = PopSlot();
                var init = PopSlot();
                var d = PushSlot();
                Emit(Op.TableGrow);
                PutDst(d);
                Put((int)ins.A);
                Put(init);
                Put(n);
                return;
            }
            case Opcode.TableSize:
            {
                var d = PushSlot();
                Emit(Op.TableSize);
                PutDst(d);
                Put((int)ins.A);
                return;
            }
            case Opcode.TableFill:
                Operands3(Op.TableFill, (int)ins.A);
                return;
            default:
                throw new InvalidModuleException(ins.Offset, $"unsupported instruction {ins.Opcode}", _function.Index);
        }
    }
}
