using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BotEngine.Nlu.Features;
using BotEngine.Nlu.Training;

namespace BotEngine.Nlu;

/// <summary>
/// The prediction-time layout of a model. Everything one feature contributes (its linear weights for every class
/// and its first-layer weights in every network) sits in one contiguous int8 row with one float scale per segment.
/// A message touches a few hundred such rows at random, so prediction is bound by memory traffic: one row instead
/// of one per member, at a quarter of the float size, is what keeps the tail latency down. The quantisation is the
/// same per-row int8 the model file uses, so a freshly trained model and its saved copy score alike.
/// </summary>
internal sealed class PackedScorer
{
    private readonly int _classes;
    private readonly int _rowLength;
    private readonly int _segments;
    private readonly int[] _segOffset;
    private readonly int[] _segLength;
    private readonly sbyte[] _rows;
    private readonly float[] _scales;
    private readonly float[] _init;
    private readonly SoftmaxMlp[] _nets;
    private readonly int _accLength;
    private readonly bool _hasLinear;
    private readonly float[]? _linearBias;

    // runs once per training with long loops: skip tier-0 code and on-stack replacement (start-up training)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public PackedScorer(int dim, int classes, float[] linear, float[] bias, IReadOnlyList<SoftmaxMlp> nets)
    {
        _classes = classes;
        _nets = [.. nets];
        bool hasLinear = linear.Length > 0;
        var offs = new List<int>();
        var lens = new List<int>();
        int pos = 0;
        if (hasLinear)
        {
            offs.Add(0);
            lens.Add(classes);
            pos = classes;
        }

        foreach (var n in _nets)
        {
            int first = n.Hidden > 0 ? n.Hidden : classes;
            offs.Add(pos);
            lens.Add(first);
            pos += first;
        }

        _segOffset = [.. offs];
        _segLength = [.. lens];
        _segments = offs.Count;
        _rowLength = pos;
        _accLength = pos;
        _rows = new sbyte[(long)dim * _rowLength];
        _scales = new float[(long)dim * _segments];
        _init = new float[_accLength];
        int s0 = 0;
        if (hasLinear)
        {
            bias.CopyTo(_init, 0);
            s0 = 1;
        }
        else
        {
            // networks only: the bias still shifts the scores (it is zero when trained that way)
            _linearBias = bias;
        }

        for (int s = s0; s < _segments; s++)
        {
            _nets[s - s0].B1.CopyTo(_init, _segOffset[s]);
        }

        for (int f = 0; f < dim; f++)
        {
            for (int s = 0; s < _segments; s++)
            {
                int len = _segLength[s];
                var src = hasLinear && s == 0
                    ? linear.AsSpan(f * classes, classes)
                    : _nets[s - s0].W1.AsSpan(f * len, len);
                float max = MathF.Abs(TensorPrimitives.MaxMagnitude(src));
                float scale = max > 0 ? max / 127f : 0f;
                _scales[(long)f * _segments + s] = scale;
                var dst = _rows.AsSpan((int)((long)f * _rowLength + _segOffset[s]), len);
                for (int i = 0; i < len; i++)
                {
                    dst[i] = scale > 0 ? (sbyte)Math.Round(src[i] / scale) : (sbyte)0;
                }
            }
        }

        _hasLinear = hasLinear;

        // second layers as int8 rows too: with many classes (hidden x classes floats per network) they were the
        // larger memory read of a prediction
        _w2 = new sbyte[_nets.Length][];
        _w2Scale = new float[_nets.Length][];
        for (int n = 0; n < _nets.Length; n++)
        {
            var net = _nets[n];
            _w2[n] = new sbyte[net.W2.Length];
            _w2Scale[n] = new float[net.Hidden];
            for (int j = 0; j < net.Hidden; j++)
            {
                var src = net.W2.AsSpan(j * classes, classes);
                float max = MathF.Abs(TensorPrimitives.MaxMagnitude(src));
                float scale = max > 0 ? max / 127f : 0f;
                _w2Scale[n][j] = scale;
                var dst = _w2[n].AsSpan(j * classes, classes);
                for (int i = 0; i < classes; i++)
                {
                    dst[i] = scale > 0 ? (sbyte)MathF.Round(src[i] / scale) : (sbyte)0;
                }
            }
        }
    }

    private readonly sbyte[][] _w2;
    private readonly float[][] _w2Scale;

    /// <summary>Writes the raw (pre-softmax) ensemble scores of <paramref name="x"/> into <paramref name="scores"/>.</summary>
    public void Scores(SparseVector x, Span<float> scores)
    {
        Span<float> acc = _accLength <= 4096 ? stackalloc float[_accLength] : new float[_accLength];
        _init.CopyTo(acc);
        var idx = x.Indices;
        var val = x.Values;
        for (int i = 0; i < idx.Length; i++)
        {
            long f = idx[i];
            var row = _rows.AsSpan((int)(f * _rowLength), _rowLength);
            var sc = _scales.AsSpan((int)(f * _segments), _segments);
            for (int s = 0; s < _segments; s++)
            {
                AddScaled(row.Slice(_segOffset[s], _segLength[s]), val[i] * sc[s], acc.Slice(_segOffset[s], _segLength[s]));
            }
        }

        int s0 = 0;
        if (_hasLinear)
        {
            acc[.._classes].CopyTo(scores);
            s0 = 1;
        }
        else
        {
            _linearBias!.CopyTo(scores);
        }

        float w = _nets.Length > 0 ? 1f / _nets.Length : 0f;
        for (int s = s0; s < _segments; s++)
        {
            var net = _nets[s - s0];
            var z = acc.Slice(_segOffset[s], _segLength[s]);
            if (net.Hidden == 0)
            {
                TensorPrimitives.MultiplyAdd(z, w, scores, scores);
                continue;
            }

            TensorPrimitives.Max(z, 0f, z);
            TensorPrimitives.MultiplyAdd(net.B2, w, scores, scores);
            var q = _w2[s - s0];
            var qs = _w2Scale[s - s0];
            for (int j = 0; j < z.Length; j++)
            {
                if (z[j] > 0)
                {
                    AddScaled(q.AsSpan(j * _classes, _classes), z[j] * qs[j] * w, scores);
                }
            }
        }
    }

    /// <summary>acc += w * s, widening int8 to float 32 lanes at a time.</summary>
    internal static void AddScaled(ReadOnlySpan<sbyte> w, float s, Span<float> acc)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && w.Length >= 32)
        {
            ref sbyte wr = ref MemoryMarshal.GetReference(w);
            ref float ar = ref MemoryMarshal.GetReference(acc);
            var vs = Vector256.Create(s);
            for (; i <= w.Length - 32; i += 32)
            {
                var v = Vector256.LoadUnsafe(ref wr, (nuint)i);
                var (lo, hi) = Vector256.Widen(v);
                var (a, b) = Vector256.Widen(lo);
                var (c, d) = Vector256.Widen(hi);
                Acc(ref ar, i, a, vs);
                Acc(ref ar, i + 8, b, vs);
                Acc(ref ar, i + 16, c, vs);
                Acc(ref ar, i + 24, d, vs);
            }
        }

        for (; i < w.Length; i++)
        {
            acc[i] += w[i] * s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Acc(ref float ar, int at, Vector256<int> q, Vector256<float> s)
    {
        var cur = Vector256.LoadUnsafe(ref ar, (nuint)at);
        (cur + (Vector256.ConvertToSingle(q) * s)).StoreUnsafe(ref ar, (nuint)at);
    }
}
