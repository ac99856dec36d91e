using BotEngine.Nlu.Features;

namespace BotEngine.Nlu.Training;

/// <summary>
/// One-vs-rest linear SVM with squared hinge loss and L2 penalty, solved by dual coordinate descent with
/// shrinking (Hsieh et al., ICML 2008, the liblinear algorithm). Each class is independent, so classes are
/// trained in parallel; every class has its own seeded RNG so results do not depend on scheduling.
/// </summary>
public static class OneVsRestSvm
{
    /// <summary>Returns weights laid out feature-major (<c>[feature * classes + class]</c>) and one bias per class.</summary>
    public static (float[] Weights, float[] Bias) Train(
        SparseMatrix x, int[] labels, int classes, float[] exampleCost, SvmOptions options, CancellationToken ct)
    {
        var (weights, bias, jobs) = Jobs(x, labels, classes, exampleCost, options, ct);
        var po = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = ct };
        Parallel.ForEach(jobs, po, job => job());
        return (weights, bias);
    }

    /// <summary>
    /// One job per class, each filling its column of the returned arrays; the caller schedules them (the trainer
    /// interleaves them with network training so both cores stay busy).
    /// </summary>
    public static (float[] Weights, float[] Bias, Action[] Jobs) Jobs(
        SparseMatrix x, int[] labels, int classes, float[] exampleCost, SvmOptions options, CancellationToken ct)
    {
        if (options.AllClassesAtOnce)
        {
            var wAll = new float[(long)x.Columns * classes];
            var bAll = new float[classes];
            return (wAll, bAll, [() => TrainAllClasses(x, labels, classes, exampleCost, options, wAll, bAll, ct)]);
        }

        int d = x.Columns;
        var weights = new float[(long)d * classes];
        var bias = new float[classes];
        var qBase = new double[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            double s = 0;
            foreach (var v in x.RowValues(i))
            {
                s += v * v;
            }

            qBase[i] = s + options.BiasScale * options.BiasScale;
        }

        var jobs = new Action[classes];
        for (int cls = 0; cls < classes; cls++)
        {
            int c = cls;
            jobs[c] = () =>
            {
                var w = TrainBinary(x, labels, c, exampleCost, qBase, options, options.Seed * 7919 + c, ct);
                for (int f = 0; f < d; f++)
                {
                    weights[(long)f * classes + c] = w[f];
                }

                bias[c] = (float)(w[d] * options.BiasScale);
            };
        }

        return (weights, bias, jobs);
    }

    /// <summary>
    /// The same dual coordinate descent for every class at once: one pass visits a row, computes its margins for
    /// all classes from feature-major weight rows (contiguous, so SIMD), takes each class's coordinate step and
    /// applies all the steps with one vector update per feature. Without per-class shrinking it does more
    /// coordinate steps, but each costs a fraction of a scattered scalar one; on 77-151 classes that wins.
    /// </summary>
    // runs once per training with long loops: skip tier-0 code and on-stack replacement (start-up training)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void TrainAllClasses(
        SparseMatrix x, int[] labels, int k, float[] cost, SvmOptions o, float[] w, float[] bias, CancellationToken ct)
    {
        int n = x.Rows;
        int[] col = x.ColIdx;
        float[] val = x.Vals;
        int[] ptr = x.RowPtr;
        float b = (float)o.BiasScale;
        var wb = new float[k];
        var alpha = new float[(long)n * k];
        var q = new float[n];
        for (int i = 0; i < n; i++)
        {
            q[i] = System.Numerics.Tensors.TensorPrimitives.SumOfSquares(x.RowValues(i)) + b * b;
        }

        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var rng = new Random(o.Seed * 7919);
        var s = new float[k];
        var delta = new float[k];
        var pgMax = new float[k];
        var pgMin = new float[k];
        var moved = new int[k];
        for (int iter = 0; iter < o.MaxIterations; iter++)
        {
            ct.ThrowIfCancellationRequested();
            rng.Shuffle(order);
            Array.Fill(pgMax, float.NegativeInfinity);
            Array.Fill(pgMin, float.PositiveInfinity);
            foreach (int i in order)
            {
                int start = ptr[i], end = ptr[i + 1];
                System.Numerics.Tensors.TensorPrimitives.Multiply(wb, b, s);
                for (int j = start; j < end; j++)
                {
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(w.AsSpan(col[j] * k, k), val[j], s, s);
                }

                var a = alpha.AsSpan((int)((long)i * k), k);
                float dNeg = (float)(0.5 / (o.C * cost[i]));
                float dPos = (float)(0.5 / (o.C * cost[i] * o.PositiveBoost));
                int changed = 0;
                for (int c = 0; c < k; c++)
                {
                    bool pos = c == labels[i];
                    float y = pos ? 1f : -1f;
                    float d = pos ? dPos : dNeg;
                    float g = y * s[c] - 1 + a[c] * d;
                    float pg = a[c] == 0 ? MathF.Min(g, 0) : g;
                    pgMax[c] = MathF.Max(pgMax[c], pg);
                    pgMin[c] = MathF.Min(pgMin[c], pg);
                    if (MathF.Abs(pg) > 1e-12f)
                    {
                        float old = a[c];
                        a[c] = MathF.Max(old - g / (q[i] + d), 0);
                        delta[c] = (a[c] - old) * y;
                        if (delta[c] != 0)
                        {
                            moved[changed++] = c;
                        }
                    }
                    else
                    {
                        delta[c] = 0;
                    }
                }

                if (changed == 0)
                {
                    continue;
                }

                // a row usually moves the alphas of a few classes only (its own and its nearest rivals); then
                // scalar updates of those classes cost less than a vector update over all of them
                if (changed * 8 <= k)
                {
                    for (int j = start; j < end; j++)
                    {
                        int rowStart = col[j] * k;
                        for (int t = 0; t < changed; t++)
                        {
                            w[rowStart + moved[t]] += delta[moved[t]] * val[j];
                        }
                    }
                }
                else
                {
                    for (int j = start; j < end; j++)
                    {
                        var row = w.AsSpan(col[j] * k, k);
                        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(delta, val[j], row, row);
                    }
                }

                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(delta, b, wb, wb);
            }

            bool done = true;
            for (int c = 0; c < k && done; c++)
            {
                done = pgMax[c] - pgMin[c] <= o.Tolerance;
            }

            if (done)
            {
                break;
            }
        }

        for (int c = 0; c < k; c++)
        {
            bias[c] = wb[c] * b;
        }
    }

    // runs once per training with long loops: skip tier-0 code and on-stack replacement (start-up training)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static float[] TrainBinary(
        SparseMatrix x, int[] labels, int positive, float[] cost, double[] qBase, SvmOptions o, int seed, CancellationToken ct)
    {
        int n = x.Rows;
        int d = x.Columns;
        var w = new float[d + 1];
        var alpha = new double[n];
        var diag = new double[n];
        var qd = new double[n];
        var y = new sbyte[n];
        var index = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = labels[i] == positive ? (sbyte)1 : (sbyte)-1;
            double ci = o.C * cost[i] * (y[i] > 0 ? o.PositiveBoost : 1.0);
            diag[i] = 0.5 / ci;
            qd[i] = qBase[i] + diag[i];
            index[i] = i;
        }

        var rng = new Random(seed);
        int active = n;
        double pgMaxOld = double.PositiveInfinity;
        int[] col = x.ColIdx;
        float[] val = x.Vals;
        int[] ptr = x.RowPtr;
        double b = o.BiasScale;
        for (int iter = 0; iter < o.MaxIterations; iter++)
        {
            if ((iter & 7) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            for (int s = 0; s < active; s++)
            {
                int j = s + rng.Next(active - s);
                (index[s], index[j]) = (index[j], index[s]);
            }

            double pgMaxNew = double.NegativeInfinity;
            double pgMinNew = double.PositiveInfinity;
            for (int s = 0; s < active; s++)
            {
                int i = index[s];
                int start = ptr[i];
                int end = ptr[i + 1];
                // float weights halve the memory traffic of this scattered loop; the dot is summed in double
                double dot = w[d] * b;
                for (int k = start; k < end; k++)
                {
                    dot += w[col[k]] * val[k];
                }

                double g = y[i] * dot - 1 + alpha[i] * diag[i];
                double pg = 0;
                if (alpha[i] == 0)
                {
                    if (g > pgMaxOld)
                    {
                        active--;
                        (index[s], index[active]) = (index[active], index[s]);
                        s--;
                        continue;
                    }

                    if (g < 0)
                    {
                        pg = g;
                    }
                }
                else
                {
                    pg = g;
                }

                pgMaxNew = Math.Max(pgMaxNew, pg);
                pgMinNew = Math.Min(pgMinNew, pg);
                if (Math.Abs(pg) > 1e-12)
                {
                    double old = alpha[i];
                    alpha[i] = Math.Max(old - g / qd[i], 0);
                    double delta = (alpha[i] - old) * y[i];
                    float fd = (float)delta;
                    for (int k = start; k < end; k++)
                    {
                        w[col[k]] += fd * val[k];
                    }

                    w[d] += (float)(delta * b);
                }
            }

            if (pgMaxNew - pgMinNew <= o.Tolerance)
            {
                if (active == n)
                {
                    break;
                }

                active = n;
                pgMaxOld = double.PositiveInfinity;
                continue;
            }

            pgMaxOld = pgMaxNew <= 0 ? double.PositiveInfinity : pgMaxNew;
        }

        return w;
    }
}
