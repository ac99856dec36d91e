namespace BotEngine.Nlu.Features;

/// <summary>Compressed sparse rows, the layout the trainers iterate over.</summary>
public sealed class SparseMatrix
{
    public SparseMatrix(IReadOnlyList<SparseVector> rows, int columns)
    {
        Columns = columns;
        RowPtr = new int[rows.Count + 1];
        long nnz = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            nnz += rows[i].Count;
            RowPtr[i + 1] = checked((int)nnz);
        }

        ColIdx = new int[nnz];
        Vals = new float[nnz];
        for (int i = 0; i < rows.Count; i++)
        {
            rows[i].Indices.CopyTo(ColIdx, RowPtr[i]);
            rows[i].Values.CopyTo(Vals, RowPtr[i]);
        }
    }

    public int Rows => RowPtr.Length - 1;
    public int Columns { get; }
    public int[] RowPtr { get; }
    public int[] ColIdx { get; }
    public float[] Vals { get; }

    public ReadOnlySpan<int> RowIndices(int i) => ColIdx.AsSpan(RowPtr[i], RowPtr[i + 1] - RowPtr[i]);
    public ReadOnlySpan<float> RowValues(int i) => Vals.AsSpan(RowPtr[i], RowPtr[i + 1] - RowPtr[i]);
}
