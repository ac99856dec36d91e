using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace BotEngine.Storage;

/// <summary>
/// Statements collected to run together in the caller's transaction: one round trip on PostgreSQL (an NpgsqlBatch),
/// one after the other on SQLite, where a statement costs no round trip. Parameters are the properties of a plain
/// object, named in the SQL as <c>@Name</c>, as with Dapper.
/// </summary>
public sealed partial class SqlBatch(SqlDialect dialect)
{
    private readonly List<(string Sql, object? Param)> _statements = [];

    public SqlDialect Dialect { get; } = dialect;

    public bool IsPostgres => Dialect == SqlDialect.Postgres;

    public int Count => _statements.Count;

    public static SqlBatch For(DbConnection connection) =>
        new(connection is NpgsqlConnection ? SqlDialect.Postgres : SqlDialect.Sqlite);

    /// <summary>Adds one statement; returns its index in the rows-affected result.</summary>
    public int Add(string sql, object? param = null)
    {
        _statements.Add((sql, param));
        return _statements.Count - 1;
    }

    /// <summary>Runs the statements in order and returns the rows each one affected.</summary>
    public async Task<int[]> ExecuteAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken = default)
    {
        var affected = new int[_statements.Count];
        if (_statements.Count == 0)
            return affected;
        if (connection is NpgsqlConnection npgsql)
        {
            await using var batch = NpgsqlBatchOf(npgsql, transaction);
            await batch.ExecuteNonQueryAsync(cancellationToken);
            for (var i = 0; i < affected.Length; i++)
                affected[i] = batch.BatchCommands[i].RecordsAffected;
            return affected;
        }
        for (var i = 0; i < _statements.Count; i++)
        {
            var (sql, param) = _statements[i];
            var values = Values(sql, param).ToList();
            // A list parameter (IN @Ids) goes through Dapper, which expands it.
            if (values.Any(v => v.Value is System.Collections.IEnumerable and not string and not byte[]))
            {
                affected[i] = await connection.ExecuteAsync(new CommandDefinition(sql, param, transaction, cancellationToken: cancellationToken));
                continue;
            }
            await using var command = SqliteCommandOf(connection, transaction, sql, values);
            affected[i] = await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return affected;
    }

    /// <summary>
    /// Runs the statements in order and returns the first column of each one's first row (null when it returned none):
    /// for statements whose later ones depend on what the earlier ones changed or locked, yet cost one round trip. Takes
    /// no list parameters.
    /// </summary>
    public async Task<object?[]> ExecuteScalarsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken = default)
    {
        var values = new object?[_statements.Count];
        if (connection is NpgsqlConnection npgsql)
        {
            await using var batch = NpgsqlBatchOf(npgsql, transaction);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            for (var i = 0; i < values.Length; i++)
            {
                if (i > 0)
                    await reader.NextResultAsync(cancellationToken);
                values[i] = await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0) ? reader.GetValue(0) : null;
            }
            return values;
        }
        for (var i = 0; i < _statements.Count; i++)
        {
            var (sql, param) = _statements[i];
            await using var command = SqliteCommandOf(connection, transaction, sql, Values(sql, param));
            values[i] = await command.ExecuteScalarAsync(cancellationToken) is var value and not DBNull ? value : null;
        }
        return values;
    }

    private NpgsqlBatch NpgsqlBatchOf(NpgsqlConnection connection, DbTransaction transaction)
    {
        var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)transaction);
        foreach (var (sql, param) in _statements)
        {
            // Positional: Npgsql sends the text as it is instead of parsing it for names on every execution.
            var command = new NpgsqlBatchCommand(PositionalSql.GetOrAdd(sql, Positional));
            foreach (var (_, value, type) in Values(sql, param))
            {
                var parameter = new NpgsqlParameter { Value = value ?? DBNull.Value };
                if (TypeOf(type) is { } dbType)
                    parameter.NpgsqlDbType = dbType;
                command.Parameters.Add(parameter);
            }
            batch.BatchCommands.Add(command);
        }
        return batch;
    }

    /// <summary>
    /// SQLite: one statement at a time, which costs no round trip. The connection keeps each statement compiled between
    /// runs (<see cref="PreparedStatementConnection"/>).
    /// </summary>
    private static DbCommand SqliteCommandOf(DbConnection connection, DbTransaction transaction, string sql, IEnumerable<(string Name, object? Value, Type Type)> values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value, _) in values)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value switch { null => DBNull.Value, bool b => b ? 1 : 0, Enum e => Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture), _ => value };
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static readonly ConcurrentDictionary<string, string[]> NamesBySql = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> PositionalSql = new(StringComparer.Ordinal);

    /// <summary>The statement with each <c>@Name</c> written as <c>$n</c>, n its place in <see cref="Names"/> (the order <see cref="Values"/> yields).</summary>
    private static string Positional(string sql)
    {
        var names = Names(sql);
        return ParameterName().Replace(sql, m => "$" + (Array.FindIndex(names, n => string.Equals(n, m.Groups[1].Value, StringComparison.OrdinalIgnoreCase)) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string[] Names(string sql) =>
        NamesBySql.GetOrAdd(sql, s => ParameterName().Matches(s).Select(m => m.Groups[1].Value).Distinct(StringComparer.OrdinalIgnoreCase).ToArray());

    private static readonly ConcurrentDictionary<Type, Dictionary<string, PropertyInfo>> PropertiesByType = new();

    /// <summary>The values of the parameters the statement names, taken from the object's properties as Dapper does.</summary>
    private static IEnumerable<(string Name, object? Value, Type Type)> Values(string sql, object? param)
    {
        if (param is null)
            yield break;
        var properties = PropertiesByType.GetOrAdd(param.GetType(), type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase));
        // Only the names the statement uses: a row object carries more than one statement needs.
        foreach (var name in Names(sql))
        {
            if (!properties.TryGetValue(name, out var property))
                throw new InvalidOperationException($"The statement uses @{name}, which {param.GetType().Name} does not have.");
            yield return (name, property.GetValue(param), property.PropertyType);
        }
    }

    private static NpgsqlDbType? TypeOf(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => NpgsqlDbType.Text,
        var t when t == typeof(long) => NpgsqlDbType.Bigint,
        var t when t == typeof(int) => NpgsqlDbType.Integer,
        var t when t == typeof(bool) => NpgsqlDbType.Boolean,
        var t when t == typeof(double) => NpgsqlDbType.Double,
        _ => null,
    };

    [GeneratedRegex(@"(?<![@\w])@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterName();
}
