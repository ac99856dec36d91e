using System.Data.Common;

namespace BotEngine.Storage;

/// <summary>A queued unit of a group commit, as the writers see it whatever its result type.</summary>
internal interface IWriteUnit
{
    /// <summary>Runs the unit; false when it threw (its error is kept for the caller).</summary>
    Task<bool> RunAsync(DbConnection connection, DbTransaction transaction);

    /// <summary>The error of the last run, if it threw.</summary>
    Exception? Error { get; }

    /// <summary>Answers the caller with the last run's result or error; called once its transaction is over.</summary>
    void Complete();

    void Fail(Exception error);
}

/// <summary>
/// One caller's work in a group commit. It may run more than once (when its batch is rolled back and rerun unit by
/// unit), so the work keeps no state outside the database but its own locals; the caller hears of the last run only.
/// </summary>
internal sealed class WriteUnit<T>(Func<DbConnection, DbTransaction, Task<T>> work) : IWriteUnit
{
    private T? _result;

    public Exception? Error { get; private set; }

    public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<bool> RunAsync(DbConnection connection, DbTransaction transaction)
    {
        Error = null;
        try
        {
            _result = await work(connection, transaction);
            return true;
        }
        catch (Exception ex)
        {
            Error = ex;
            return false;
        }
    }

    public void Complete()
    {
        if (Error is not null)
            Completion.TrySetException(Error);
        else
            Completion.TrySetResult(_result!);
    }

    public void Fail(Exception error) => Completion.TrySetException(Error ?? error);
}
