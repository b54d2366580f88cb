using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Interpreter;

/// <summary>The static operand stack (values as frame slots or pending constants) and writing operations.</summary>
internal sealed partial class FunctionLowerer
{
    // Operand stack

    private void Push(Entry e)
    {
        if (_h == _stack.Length) Array.Resize(ref _stack, _h * 2);
        _stack[_h++] = e;
        if (_h > _maxH) _maxH = _h;
    }

    private int PushSlot()
    {
        var slot = _locals + _h;
        Push(new Entry { Slot = slot });
        return slot;
    }

    private void Pop()
    {
        if (_h <= CurrentFloor()) throw new InvalidModuleException(_offset, "type mismatch", _function.Index);
        _h--;
    }

    private int CurrentFloor() => _controls.Count > 0 ? _controls[^1].Height : 0;

    private int PopSlot()
    {
        if (_h <= CurrentFloor()) throw new InvalidModuleException(_offset, "type mismatch", _function.Index);
        if (_stack[_h - 1].Slot < 0) Materialize(_h - 1);
        return _stack[--_h].Slot;
    }

    private void Materialize(int i)
    {
        var slot = _locals + i;
        var e = _stack[i];
        if (e.Slot == slot) return;
        if (e.Slot < 0) EmitConst(slot, e.Constant);
        else EmitCopy(slot, e.Slot);
        _stack[i] = new Entry { Slot = slot };
    }

    private void MaterializeAll()
    {
        for (var i = 0; i < _h; i++) Materialize(i);
    }

    private void MaterializeTop(int count)
    {
        if (count > _h) throw new InvalidModuleException(_offset, "type mismatch", _function.Index);
        for (var i = _h - count; i < _h; i++) Materialize(i);
    }

    // Code emission

    private void Emit(Op op)
    {
        if (_n + 16 > _code.Length)
        {
            Array.Resize(ref _code, _code.Length * 2);
            Array.Resize(ref _offsets, _code.Length);
        }
        _offsets[_n] = _offset;
        _prevOpPc = _lastOpPc;
        _lastOpPc = _n;
        _code[_n++] = (int)op;
        _lastDstSite = -1;
    }

    private void Put(int value)
    {
        if (_n == _code.Length)
        {
            Array.Resize(ref _code, _code.Length * 2);
            Array.Resize(ref _offsets, _code.Length);
        }
        _offsets[_n] = _offset;
        _code[_n++] = value;
    }

    private void PutDst(int slot)
    {
        Put(slot);
        _lastDstSite = _n - 1;
    }

    private void PutConstant(ulong value)
    {
        Put((int)(uint)value);
        Put((int)(uint)(value >> 32));
    }

    private void Unary(Op op)
    {
        if (op == Op.I32Eqz && TryNegateLastComparison()) return;
        var a = PopSlot();
        var d = PushSlot();
        Emit(op);
        PutDst(d);
        Put(a);
    }

    private bool IsImmediate(int index) => _stack[index].Slot < 0;

    private void Binary(Op op)
    {
        if (op == Op.I32Add && TryAddShifted()) return;
        if (_h - 2 >= CurrentFloor() && ImmediateForms.TryGetValue(op, out var immediateForm))
        {
            var constIndex = IsImmediate(_h - 1) ? _h - 1
                : IsCommutative(op) && IsImmediate(_h - 2) && _stack[_h - 1].Slot >= 0 ? _h - 2
                : -1;
            if (constIndex >= 0)
            {
                var constant = _stack[constIndex].Constant;
                if (constIndex == _h - 2) _stack[_h - 2] = _stack[_h - 1];
                _h--;
                var x = PopSlot();
                var dst = PushSlot();
                Emit(immediateForm);
                PutDst(dst);
                Put(x);
                if (Is64(op)) PutConstant(constant);
                else Put((int)(uint)constant);
                return;
            }
        }
        var b = PopSlot();
        var a = PopSlot();
        var d = PushSlot();
        Emit(op);
        PutDst(d);
        Put(a);
        Put(b);
    }

    /// <summary>Bulk memory and table operations: destination, source (or value) and count, after any immediates.</summary>
    private void Operands3(Op op, int? first = null, int? second = null)
    {
        var n = PopSlot();
        var s = PopSlot();
        var d = PopSlot();
        Emit(op);
        if (first is { } i) Put(i);
        if (second is { } j) Put(j);
        Put(d);
        Put(s);
        Put(n);
    }
}
