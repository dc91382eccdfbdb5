using System.Text;
using System.Threading.Channels;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;

namespace AutoDeploy.Agent;

/// <summary>
/// Reads one output stream of a script in fixed-size chunks and writes it as lines, cutting any line longer than
/// the limit with a visible marker: memory stays bounded whatever the script prints, with or without newlines.
/// </summary>
public sealed class OutputPump(TextReader source, LogStream stream, ChannelWriter<LogLine> output, TimeProvider time)
{
    /// <summary>The server's limit; it masks a secret this cut splits (<see cref="LogMask"/>).</summary>
    public const int MaxLineLength = TaskLogLine.MaxLength;
    public const string TruncatedMarker = TaskLogLine.TruncatedMarker;

    private readonly StringBuilder line = new();
    private bool truncated;
    private long charsRead;
    private volatile bool awaitingData;

    /// <summary>Characters read so far; with <see cref="AwaitingData"/> this tells a stalled pipe from a full channel.</summary>
    public long CharsRead => Interlocked.Read(ref charsRead);

    /// <summary>True while the pump waits for the script to write (rather than for room to pass a line on).</summary>
    public bool AwaitingData => awaitingData;

    /// <summary>Pumps until the stream ends, the channel closes or <paramref name="ct"/> fires.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var buffer = new char[4096];
        try
        {
            while (true)
            {
                awaitingData = true;
                var count = await source.ReadAsync(buffer, ct);
                awaitingData = false;
                if (count == 0)
                {
                    break;
                }
                Interlocked.Add(ref charsRead, count);
                var start = 0;
                while (start < count)
                {
                    var newline = Array.IndexOf(buffer, '\n', start, count - start);
                    Append(buffer, start, (newline < 0 ? count : newline) - start);
                    if (newline < 0)
                    {
                        break;
                    }
                    await EmitAsync(ct);
                    start = newline + 1;
                }
            }
            if (line.Length > 0 || truncated)
            {
                await EmitAsync(ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException or IOException or ObjectDisposedException)
        {
            // Cancelled, or nobody reads the lines any more (the job is being abandoned): stop quietly.
        }
        finally
        {
            awaitingData = false;
        }
    }

    private void Append(char[] buffer, int start, int length)
    {
        var room = MaxLineLength - line.Length;
        if (length > room)
        {
            truncated = true;
            length = room;
        }
        line.Append(buffer, start, length);
    }

    private async Task EmitAsync(CancellationToken ct)
    {
        if (truncated && line.Length > 0 && char.IsHighSurrogate(line[^1]))
        {
            line.Length--;
        }
        if (!truncated && line.Length > 0 && line[^1] == '\r')
        {
            line.Length--;
        }
        var text = truncated ? line.Append(TruncatedMarker).ToString() : line.ToString();
        line.Clear();
        truncated = false;
        await output.WriteAsync(new LogLine(time.GetUtcNow(), stream, text), ct);
    }
}
