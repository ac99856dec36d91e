using System.Numerics.Tensors;
using BotEngine.Nlu.Features;

namespace BotEngine.Nlu.Training;

/// <summary>
/// Softmax classifier over sparse TF-IDF rows, optionally with one ReLU hidden layer, trained by plain SGD with a
/// linearly decaying step. Weights are feature-major so each non-zero input touches one contiguous row, which
/// TensorPrimitives vectorises. Single-threaded and seeded: the same data and seed give the same network.
/// </summary>
public sealed class SoftmaxMlp
{
    private SoftmaxMlp(int inputs, int hidden, int classes)
    {
        Inputs = inputs;
        Hidden = hidden;
        Classes = classes;
        int first = hidden > 0 ? hidden : classes;
        W1 = new float[(long)inputs * first];
        B1 = new float[first];
        W2 = hidden > 0 ? new float[hidden * classes] : [];
        B2 = hidden > 0 ? new float[classes] : [];
    }

    public SoftmaxMlp(int inputs, int hidden, int classes, float[] w1, float[] b1, float[] w2, float[] b2)
    {
        Inputs = inputs;
        Hidden = hidden;
        Classes = classes;
        W1 = w1;
        B1 = b1;
        W2 = w2;
        B2 = b2;
    }

    public int Inputs { get; }
    public int Hidden { get; }
    public int Classes { get; }
    public float[] W1 { get; }
    public float[] B1 { get; }
    public float[] W2 { get; }
    public float[] B2 { get; }

    /// <summary>Adds this network's logits for <paramref name="x"/> to <paramref name="scores"/>.</summary>
    public void AddScores(SparseVector x, Span<float> scores, float scale = 1f)
    {
        if (Hidden == 0)
        {
            Span<float> s = stackalloc float[Classes];
            Forward1(x, s);
            TensorPrimitives.MultiplyAdd(s, scale, scores, scores);
            return;
        }

        Span<float> h = Hidden <= 1024 ? stackalloc float[Hidden] : new float[Hidden];
        Forward1(x, h);
        Span<float> o = stackalloc float[Classes];
        B2.CopyTo(o);
        for (int j = 0; j < Hidden; j++)
        {
            if (h[j] > 0)
            {
                TensorPrimitives.MultiplyAdd(W2.AsSpan(j * Classes, Classes), h[j], o, o);
            }
        }

        TensorPrimitives.MultiplyAdd(o, scale, scores, scores);
    }

    private void Forward1(SparseVector x, Span<float> z)
    {
        int m = z.Length;
        B1.CopyTo(z);
        for (int k = 0; k < x.Count; k++)
        {
            TensorPrimitives.MultiplyAdd(W1.AsSpan(x.Indices[k] * m, m), x.Values[k], z, z);
        }

        if (Hidden > 0)
        {
            TensorPrimitives.Max(z, 0f, z);
        }
    }

    /// <summary>Trains; if the step size made SGD diverge (non-finite weights), retrains with half the step.</summary>
    public static SoftmaxMlp Train(SparseMatrix x, int[] y, int classes, float[] cost, MlpOptions o, CancellationToken ct)
    {
        for (int attempt = 0; ; attempt++)
        {
            var net = TrainOnce(x, y, classes, cost, o, ct);
            bool finite = float.IsFinite(TensorPrimitives.Sum(net.B1)) && float.IsFinite(TensorPrimitives.Sum(net.B2))
                && float.IsFinite(TensorPrimitives.SumOfSquares(net.W2)) && float.IsFinite(TensorPrimitives.SumOfSquares(net.W1));
            if (finite || attempt >= 4)
            {
                return net;
            }

            o = o with { LearningRate = o.LearningRate / 2 };
        }
    }

    // runs once per training with long loops: skip tier-0 code and on-stack replacement (start-up training)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static SoftmaxMlp TrainOnce(SparseMatrix x, int[] y, int classes, float[] cost, MlpOptions o, CancellationToken ct)
    {
        int hidden = o.Hidden;
        var net = new SoftmaxMlp(x.Columns, hidden, classes);
        var rng = new Random(o.Seed);
        if (hidden > 0)
        {
            // small uniform init; inputs are unit-norm sparse rows so fan-in is effectively the row length
            float a1 = 0.5f / MathF.Sqrt(hidden);
            for (long i = 0; i < net.W1.LongLength; i++)
            {
                net.W1[i] = (float)(rng.NextDouble() * 2 - 1) * a1;
            }

            float a2 = MathF.Sqrt(6f / (hidden + classes));
            for (int i = 0; i < net.W2.Length; i++)
            {
                net.W2[i] = (float)(rng.NextDouble() * 2 - 1) * a2;
            }
        }

        int n = x.Rows;
        int first = hidden > 0 ? hidden : classes;
        var order = Enumerable.Range(0, n).ToArray();
        var z = new float[first];
        var mask = new float[first];
        var s = new float[classes];
        var gs = new float[classes];
        var gh = new float[first];
        long total = (long)o.Epochs * n, step = 0;
        float keep = 1f - o.Dropout;
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            ct.ThrowIfCancellationRequested();
            rng.Shuffle(order);
            foreach (int i in order)
            {
                float lr = o.LearningRate * (1f - (float)step++ / total);
                var idx = x.RowIndices(i);
                var val = x.RowValues(i);
                net.B1.CopyTo(z, 0);
                for (int k = 0; k < idx.Length; k++)
                {
                    TensorPrimitives.MultiplyAdd(net.W1.AsSpan(idx[k] * first, first), val[k], z, z);
                }

                if (hidden > 0)
                {
                    TensorPrimitives.Max(z, 0f, z);
                    if (o.Dropout > 0)
                    {
                        for (int j = 0; j < hidden; j++)
                        {
                            mask[j] = rng.NextSingle() < keep ? 1f / keep : 0f;
                        }

                        TensorPrimitives.Multiply(z, mask, z);
                    }

                    net.B2.CopyTo(s, 0);
                    for (int j = 0; j < hidden; j++)
                    {
                        if (z[j] > 0)
                        {
                            TensorPrimitives.MultiplyAdd(net.W2.AsSpan(j * classes, classes), z[j], s, s);
                        }
                    }
                }
                else
                {
                    z.CopyTo(s, 0);
                }

                TensorPrimitives.SoftMax(s, gs);
                gs[y[i]] -= 1f;
                TensorPrimitives.Multiply(gs, cost[i], gs);

                if (hidden > 0)
                {
                    for (int j = 0; j < hidden; j++)
                    {
                        if (z[j] > 0)
                        {
                            var row = net.W2.AsSpan(j * classes, classes);
                            gh[j] = TensorPrimitives.Dot(row, gs) * mask[j];
                            TensorPrimitives.MultiplyAdd(gs, -lr * z[j], row, row);
                        }
                        else
                        {
                            gh[j] = 0;
                        }
                    }

                    TensorPrimitives.MultiplyAdd(gs, -lr, net.B2, net.B2);
                }
                else
                {
                    gs.CopyTo(gh, 0);
                }

                for (int k = 0; k < idx.Length; k++)
                {
                    var row = net.W1.AsSpan(idx[k] * first, first);
                    if (o.L2 > 0)
                    {
                        TensorPrimitives.Multiply(row, 1f - lr * o.L2, row);
                    }

                    TensorPrimitives.MultiplyAdd(gh, -lr * val[k], row, row);
                }

                TensorPrimitives.MultiplyAdd(gh, -lr, net.B1, net.B1);
            }
        }

        return net;
    }
}
