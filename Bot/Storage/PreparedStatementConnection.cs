using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace BotEngine.Storage;

/// <summary>
/// A SQLite connection that keeps its statements compiled between uses. Microsoft.Data.Sqlite compiles a command's
/// SQL on every execution unless the command is prepared and kept, and Dapper makes a new command for every call, so
/// the engine's few dozen statements were compiled again for every turn (a sixth of the writer thread's time). The
/// commands that Dapper and <see cref="SqlBatch"/> create here are thin shells: at execution they borrow a prepared
/// command for their SQL from this connection and give it back when they are disposed.
/// </summary>
/// <remarks>
/// A connection is used by one caller at a time (the writer's loop or one read), so the cache needs no lock.
/// </remarks>
internal sealed class PreparedStatementConnection(string connectionString) : SqliteConnection(connectionString)
{
    /// <summary>
    /// Distinct SQL texts kept per connection. The engine's own statements number well under this; texts made per call
    /// (a list parameter expanded into <c>IN (@Ids1, @Ids2...)</c>) are compiled and dropped once the cache is full.
    /// </summary>
    private const int MaxStatements = 256;

    private readonly Dictionary<string, Stack<SqliteCommand>> _idle = new(StringComparer.Ordinal);

    protected override DbCommand CreateDbCommand() => new BorrowingCommand(this);

    /// <summary>A prepared command for <paramref name="sql"/> that nobody else uses until it is given back.</summary>
    internal SqliteCommand Borrow(string sql)
    {
        if (_idle.TryGetValue(sql, out var idle) && idle.TryPop(out var command))
            return command;
        command = base.CreateCommand();
        command.CommandText = sql;
        try
        {
            // Compiles every statement of the text now, so that later executions only bind and step.
            command.Prepare();
        }
        catch (SqliteException)
        {
            // A text whose later statements need its earlier ones run first (a table made and then filled) cannot be
            // compiled whole in advance: it runs unprepared and reports its own error, if it has one, when it runs.
        }
        return command;
    }

    internal void GiveBack(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        if (State == System.Data.ConnectionState.Open && (_idle.TryGetValue(command.CommandText, out var idle) || _idle.Count < MaxStatements))
        {
            if (idle is null)
                _idle[command.CommandText] = idle = new Stack<SqliteCommand>(1);
            idle.Push(command);
            return;
        }
        command.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in _idle.Values.SelectMany(c => c))
                command.Dispose();
            _idle.Clear();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// What callers of <see cref="DbConnection.CreateCommand"/> get: its text and parameters are collected as usual, and
    /// each execution runs on a prepared command borrowed from the connection.
    /// </summary>
    private sealed class BorrowingCommand(PreparedStatementConnection connection) : DbCommand
    {
        // Holds the parameters until an execution hands them to the borrowed command.
        private readonly SqliteCommand _parameters = new();
        private SqliteCommand? _reading;
        private SqliteTransaction? _transaction;

        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get; set; } = 30;
        public override System.Data.CommandType CommandType { get; set; } = System.Data.CommandType.Text;
        public override bool DesignTimeVisible { get; set; }
        public override System.Data.UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection
        {
            get => connection;
            set
            {
                if (value is not null && !ReferenceEquals(value, connection))
                    throw new NotSupportedException("A command of a prepared-statement connection runs on that connection only.");
            }
        }

        protected override DbParameterCollection DbParameterCollection => _parameters.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => _transaction;
            set => _transaction = (SqliteTransaction?)value;
        }

        public override void Cancel()
        {
        }

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => _parameters.CreateParameter();

        public override int ExecuteNonQuery()
        {
            var command = Lend();
            try
            {
                return command.ExecuteNonQuery();
            }
            finally
            {
                connection.GiveBack(command);
            }
        }

        public override object? ExecuteScalar()
        {
            var command = Lend();
            try
            {
                return command.ExecuteScalar();
            }
            finally
            {
                connection.GiveBack(command);
            }
        }

        protected override DbDataReader ExecuteDbDataReader(System.Data.CommandBehavior behavior)
        {
            ReturnReading();
            var command = Lend();
            try
            {
                var reader = command.ExecuteReader(behavior);
                // kept until this command is disposed: the reader steps the borrowed command's statements
                _reading = command;
                return reader;
            }
            catch
            {
                connection.GiveBack(command);
                throw;
            }
        }

        private SqliteCommand Lend()
        {
            if (CommandType != System.Data.CommandType.Text)
                throw new NotSupportedException("SQLite runs text commands only.");
            var command = connection.Borrow(CommandText);
            command.Transaction = _transaction;
            command.CommandTimeout = CommandTimeout;
            foreach (SqliteParameter parameter in _parameters.Parameters)
                command.Parameters.Add(parameter);
            return command;
        }

        private void ReturnReading()
        {
            if (_reading is { } reading)
            {
                _reading = null;
                connection.GiveBack(reading);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                ReturnReading();
                _parameters.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
