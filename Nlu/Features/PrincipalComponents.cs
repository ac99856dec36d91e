namespace BotEngine.Nlu.Features;

/// <summary>
/// Projects word vectors onto their leading principal components: fewer dense inputs make every training step
/// cheaper, and the leading components keep most of what separates words.
/// </summary>
public static class PrincipalComponents
{
    public static List<(string Word, float[] Vector)> Project(List<(string Word, float[] Vector)> rows, int dimensions)
    {
        int d = rows[0].Vector.Length;
        var mean = new double[d];
        foreach (var (_, v) in rows)
        {
            for (int i = 0; i < d; i++)
            {
                mean[i] += v[i];
            }
        }

        for (int i = 0; i < d; i++)
        {
            mean[i] /= rows.Count;
        }

        var cov = new double[d, d];
        var centred = new double[d];
        foreach (var (_, v) in rows)
        {
            for (int i = 0; i < d; i++)
            {
                centred[i] = v[i] - mean[i];
            }

            for (int i = 0; i < d; i++)
            {
                for (int j = i; j < d; j++)
                {
                    cov[i, j] += centred[i] * centred[j];
                }
            }
        }

        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < i; j++)
            {
                cov[i, j] = cov[j, i];
            }
        }

        var (values, vectors) = SymmetricEigen(cov);
        var order = Enumerable.Range(0, d).OrderByDescending(i => values[i]).Take(dimensions).ToArray();
        var result = new List<(string, float[])>(rows.Count);
        foreach (var (word, v) in rows)
        {
            var p = new float[dimensions];
            for (int c = 0; c < dimensions; c++)
            {
                double s = 0;
                for (int i = 0; i < d; i++)
                {
                    s += (v[i] - mean[i]) * vectors[i, order[c]];
                }

                p[c] = (float)s;
            }

            result.Add((word, p));
        }

        return result;
    }

    /// <summary>Cyclic Jacobi rotations: eigenvalues and eigenvectors (columns) of a small symmetric matrix.</summary>
    internal static (double[] Values, double[,] Vectors) SymmetricEigen(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            v[i, i] = 1;
        }

        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    off += a[p, q] * a[p, q];
                }
            }

            if (off < 1e-18)
            {
                break;
            }

            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-30)
                    {
                        continue;
                    }

                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }

                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
            }
        }

        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = a[i, i];
        }

        return (values, v);
    }
}
