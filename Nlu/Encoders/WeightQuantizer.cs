using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace BotEngine.Nlu.Encoders;

/// <summary>
/// Rewrites an ONNX graph so that its matrix products with constant weights run in 8-bit integers: each such MatMul
/// becomes ONNX Runtime's DynamicQuantizeMatMul (com.microsoft), whose weights are stored as int8 with one scale per
/// output column (symmetric, zero point 0) and whose input is quantized per call. A BERT-style encoder spends most of
/// its time in these products, and the CPU's 8-bit dot products do four times the work of float ones per instruction.
/// </summary>
/// <remarks>
/// What it costs in fidelity is measured, not assumed: <c>Bench encoder</c> reports the cosine between the float and
/// the 8-bit embedding of every message, and the intent benchmarks are run with the 8-bit encoder.
/// </remarks>
public static class WeightQuantizer
{
    private const string MicrosoftDomain = "com.microsoft";

    /// <summary>The model with every constant-weight MatMul in 8 bits; the count says how many were rewritten.</summary>
    public static (byte[] Model, int Rewritten) QuantizeMatMuls(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph ?? throw new InvalidDataException("the ONNX model has no graph");
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        int rewritten = 0;
        for (int i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (node.OpType != "MatMul" || !string.IsNullOrEmpty(node.Domain) || node.Input.Count != 2
                || !initializers.TryGetValue(node.Input[1], out var weights) || !IsFloatMatrix(weights))
            {
                continue;
            }

            var (values, scales) = Quantize(weights);
            string name = weights.Name;
            graph.Initializer.Add(Tensor(name + ".int8", TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(values.AsSpan()), weights.Dims));
            graph.Initializer.Add(Tensor(name + ".scale", TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(scales.AsSpan()), [scales.Length]));
            graph.Initializer.Add(Tensor(name + ".zero", TensorProto.Types.DataType.Int8, new byte[scales.Length], [scales.Length]));
            var quantized = new NodeProto { OpType = "DynamicQuantizeMatMul", Domain = MicrosoftDomain, Name = node.Name + ".int8" };
            quantized.Input.Add([node.Input[0], name + ".int8", name + ".scale", name + ".zero"]);
            quantized.Output.Add(node.Output);
            graph.Node[i] = quantized;
            rewritten++;
        }

        // float weights no node reads any more
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var unused in graph.Initializer.Where(t => !read.Contains(t.Name)).ToList())
        {
            graph.Initializer.Remove(unused);
        }

        if (rewritten > 0 && !proto.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
        {
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        }

        return (proto.ToByteArray(), rewritten);
    }

    private static bool IsFloatMatrix(TensorProto t) =>
        t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count == 2 && t.Dims[0] > 0 && t.Dims[1] > 0
        && (t.RawData.Length == t.Dims[0] * t.Dims[1] * sizeof(float) || t.FloatData.Count == t.Dims[0] * t.Dims[1]);

    /// <summary>Row-major [K, N] weights to int8 in [-127, 127] with one scale per column (the largest magnitude / 127).</summary>
    private static (sbyte[] Values, float[] Scales) Quantize(TensorProto weights)
    {
        int k = (int)weights.Dims[0], n = (int)weights.Dims[1];
        ReadOnlySpan<float> w = weights.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(weights.RawData.Span) : weights.FloatData.ToArray();
        var scales = new float[n];
        for (int r = 0; r < k; r++)
        {
            for (int c = 0; c < n; c++)
            {
                scales[c] = Math.Max(scales[c], Math.Abs(w[r * n + c]));
            }
        }

        for (int c = 0; c < n; c++)
        {
            scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
        }

        var values = new sbyte[k * n];
        for (int r = 0; r < k; r++)
        {
            for (int c = 0; c < n; c++)
            {
                values[r * n + c] = (sbyte)Math.Clamp(MathF.Round(w[r * n + c] / scales[c]), -127f, 127f);
            }
        }

        return (values, scales);
    }

    private static TensorProto Tensor(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> data, IEnumerable<long> dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        t.Dims.Add(dims);
        return t;
    }
}
