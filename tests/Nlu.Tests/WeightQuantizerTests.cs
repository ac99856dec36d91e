using BotEngine.Nlu.Encoders;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace BotEngine.Nlu.Tests;

/// <summary>
/// The 8-bit rewrite on a graph small enough to check by hand: a product with constant weights becomes ONNX Runtime's
/// DynamicQuantizeMatMul and stays within the quantization's error of the float result; a product of two inputs is
/// left as it is and stays exact.
/// </summary>
public sealed class WeightQuantizerTests
{
    private static readonly float[] X = [0.5f, -1.25f, 2f, 0.75f];
    private static readonly float[] W = [0.3f, -0.2f, 0.9f, -0.7f, 0.05f, 0.4f, 0.11f, 0.6f, -0.33f, 1.2f, -0.8f, 0.25f];
    private static readonly float[] Y = [1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f];

    private static byte[] TwoProducts()
    {
        var graph = new GraphProto { Name = "two-products" };
        graph.Input.Add(Value("x", 1, 4));
        graph.Input.Add(Value("y", 4, 3));
        graph.Output.Add(Value("a", 1, 3));
        graph.Output.Add(Value("b", 1, 3));
        var w = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(W.AsSpan())) };
        w.Dims.Add([4, 3]);
        graph.Initializer.Add(w);
        var constant = new NodeProto { OpType = "MatMul", Name = "constant" };
        constant.Input.Add(["x", "w"]);
        constant.Output.Add("a");
        var variable = new NodeProto { OpType = "MatMul", Name = "variable" };
        variable.Input.Add(["x", "y"]);
        variable.Output.Add("b");
        graph.Node.Add([constant, variable]);
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model.ToByteArray();
    }

    private static ValueInfoProto Value(string name, long rows, long columns)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = rows });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = columns });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static (float[] A, float[] B) Run(byte[] model)
    {
        using var session = new InferenceSession(model);
        using var x = OrtValue.CreateTensorValueFromMemory(X.ToArray(), [1, 4]);
        using var y = OrtValue.CreateTensorValueFromMemory(Y.ToArray(), [4, 3]);
        using var outputs = session.Run(new RunOptions(), ["x", "y"], [x, y], ["a", "b"]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Only_the_product_with_constant_weights_goes_to_eight_bits_and_it_stays_close()
    {
        var (quantized, rewritten) = WeightQuantizer.QuantizeMatMuls(TwoProducts());
        Assert.Equal(1, rewritten);
        var graph = ModelProto.Parser.ParseFrom(quantized).Graph;
        Assert.Equal(["DynamicQuantizeMatMul", "MatMul"], graph.Node.Select(n => n.OpType));
        Assert.DoesNotContain(graph.Initializer, t => t.Name == "w");
        Assert.Contains(graph.Initializer, t => t.Name == "w.int8" && t.DataType == (int)TensorProto.Types.DataType.Int8);

        var exact = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, 4).Sum(r => X[r] * W[r * 3 + c])).ToArray();
        var (floatA, floatB) = Run(TwoProducts());
        var (a, b) = Run(quantized);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(exact[c], floatA[c], 1e-5f);
            // int8 weights (1/254 of each column's range) times an 8-bit input (1/255 of its range)
            Assert.Equal(exact[c], a[c], 0.05f);
        }

        Assert.Equal(floatB, b);
        Assert.NotEqual(floatA, a);
    }

    [Fact]
    public void A_graph_without_constant_products_comes_back_unchanged_in_meaning()
    {
        var model = ModelProto.Parser.ParseFrom(TwoProducts());
        model.Graph.Node.RemoveAt(0);
        model.Graph.Output.RemoveAt(0);
        model.Graph.Initializer.Clear();
        var (rewritten, count) = WeightQuantizer.QuantizeMatMuls(model.ToByteArray());
        Assert.Equal(0, count);
        var back = ModelProto.Parser.ParseFrom(rewritten);
        Assert.Equal(["MatMul"], back.Graph.Node.Select(n => n.OpType));
        Assert.DoesNotContain(back.OpsetImport, o => o.Domain == "com.microsoft");
    }
}
