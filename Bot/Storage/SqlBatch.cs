using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace BotEngine.Bot.Storage;

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
            await using var batch = new NpgsqlBatch(npgsql, (NpgsqlTransaction)transaction);
            foreach (var (sql, param) in _statements)
            {
                var command = new NpgsqlBatchCommand(sql);
                Bind(command, sql, param);
                batch.BatchCommands.Add(command);
            }
            await batch.ExecuteNonQueryAsync(cancellationToken);
            for (var i = 0; i < affected.Length; i++)
                affected[i] = batch.BatchCommands[i].RecordsAffected;
            return affected;
        }
        for (var i = 0; i < _statements.Count; i++)
            affected[i] = await connection.ExecuteAsync(new CommandDefinition(_statements[i].Sql, _statements[i].Param, transaction,
                cancellationToken: cancellationToken));
        return affected;
    }

    private static readonly ConcurrentDictionary<string, string[]> NamesBySql = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Type, Dictionary<string, PropertyInfo>> PropertiesByType = new();

    private static void Bind(NpgsqlBatchCommand command, string sql, object? param)
    {
        if (param is null)
            return;
        var properties = PropertiesByType.GetOrAdd(param.GetType(), type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase));
        // Only the names the statement uses, as Dapper does: a row object carries more than one statement needs.
        foreach (var name in NamesBySql.GetOrAdd(sql, s => ParameterName().Matches(s).Select(m => m.Groups[1].Value).Distinct(StringComparer.OrdinalIgnoreCase).ToArray()))
        {
            if (!properties.TryGetValue(name, out var property))
                throw new InvalidOperationException($"The statement uses @{name}, which {param.GetType().Name} does not have.");
            var value = property.GetValue(param);
            var parameter = new NpgsqlParameter(name, value ?? DBNull.Value);
            if (TypeOf(property.PropertyType) is { } type)
                parameter.NpgsqlDbType = type;
            command.Parameters.Add(parameter);
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
