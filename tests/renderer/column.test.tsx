import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ColumnView } from '../../renderer/components/ColumnView';
import { attempt, column } from './helpers';

afterEach(cleanup);

describe('<ColumnView>', () => {
  it('shows the cause of a failure, and the attempts behind it', () => {
    const failed = column({
      status: 'error',
      error: '401 from openai: invalid API key',
      servedBy: { provider: 'openai', model: 'gpt-bad' },
      attempts: [attempt({ provider: 'openai', model: 'gpt-bad', status: 'error', httpStatus: 401, error: '401 from openai: invalid API key', totalMs: 35 })],
    });
    render(<ColumnView column={failed} actions={{}} width={null} />);
    expect(screen.getByTestId('column-error').textContent).toBe('401 from openai: invalid API key');
    expect(screen.getByTestId('column-status').textContent).toBe('failed');
    const row = screen.getByTestId('attempt-row');
    expect(within(row).getByText('HTTP 401')).toBeTruthy();
    expect(row.textContent).toContain('total 35 ms');
  });

  it('never leaves a failed column blank', () => {
    render(<ColumnView column={column({ status: 'error' })} actions={{}} width={null} />);
    expect(screen.getByTestId('column-error').textContent).toBe('failed without a reported cause');
  });

  it('offers Copy only once there is an answer to copy', () => {
    const onCopy = vi.fn();
    const { rerender } = render(<ColumnView column={column({ status: 'error', error: '401 from openai: invalid API key' })} actions={{ onCopy }} width={null} />);
    expect(screen.queryByTestId('column-copy')).toBeNull();
    rerender(<ColumnView column={column({ status: 'ok', text: 'an answer' })} actions={{ onCopy }} width={null} />);
    fireEvent.click(screen.getByTestId('column-copy'));
    expect(onCopy).toHaveBeenCalledOnce();
  });

  it('shows the fell-back badge and the served-by endpoint', () => {
    render(<ColumnView column={column({ status: 'ok', fellBack: true, servedBy: { provider: 'backup', model: 'm2' }, text: 'hi' })} actions={{}} width={null} />);
    expect(screen.getByTestId('column-served-by').textContent).toBe('backup · m2');
    expect(screen.getByTestId('column-target').textContent).toBe('mock:m1');
    expect(screen.getByTestId('column-fellback')).toBeTruthy();
  });

  it('says a column was re-planned between the pre-flight and the send, and only then', () => {
    const plan = { id: 'p2', primary: { provider: 'backup', model: 'lab/m', upstream: 'm2' }, fallbacks: [] };
    const { rerender } = render(<ColumnView column={column({ status: 'ok', servedBy: { provider: 'backup', model: 'm2' }, text: 'hi', plan, replanned: true })} actions={{}} width={null} />);
    expect(screen.getByTestId('column-replanned').textContent).toBe('re-planned');
    expect(screen.queryByTestId('column-fellback')).toBeNull();
    rerender(<ColumnView column={column({ status: 'ok', servedBy: { provider: 'backup', model: 'm2' }, text: 'hi', plan, replanned: false })} actions={{}} width={null} />);
    expect(screen.queryByTestId('column-replanned')).toBeNull();
  });

  it('offers stop while streaming and retry once finished', () => {
    const onStop = vi.fn();
    const onRetry = vi.fn();
    const { rerender } = render(<ColumnView column={column({ status: 'running', text: 'par' })} actions={{ onStop, onRetry }} width={null} />);
    expect(screen.queryByTestId('column-retry')).toBeNull();
    fireEvent.click(screen.getByTestId('column-stop'));
    expect(onStop).toHaveBeenCalledOnce();
    rerender(<ColumnView column={column({ status: 'cancelled', text: 'par' })} actions={{ onStop, onRetry }} width={null} />);
    expect(screen.queryByTestId('column-stop')).toBeNull();
    fireEvent.click(screen.getByTestId('column-retry'));
    expect(onRetry).toHaveBeenCalledOnce();
  });

  it('lets Retry wait while the run streams in other columns, and keeps one button (and its focus) from Stop to Retry', () => {
    const onStop = vi.fn();
    const onRetry = vi.fn();
    const actions = { onStop, onRetry };
    const { rerender } = render(<ColumnView column={column({ status: 'running', text: 'par' })} actions={actions} width={null} runActive />);
    const button = screen.getByTestId('column-stop');
    button.focus();
    rerender(<ColumnView column={column({ status: 'incomplete', text: 'par' })} actions={actions} width={null} runActive />);
    const retry = screen.getByTestId('column-retry');
    expect(retry).toBe(button);
    expect(document.activeElement).toBe(retry);
    expect(retry.getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(retry);
    expect(onRetry).not.toHaveBeenCalled();
    rerender(<ColumnView column={column({ status: 'incomplete', text: 'par' })} actions={actions} width={null} runActive={false} />);
    fireEvent.click(screen.getByTestId('column-retry'));
    expect(onRetry).toHaveBeenCalledOnce();
  });

  it('keeps reasoning in a collapsed block apart from the answer', async () => {
    render(<ColumnView column={column({ status: 'ok', reasoning: 'let me think', text: 'answer' })} actions={{}} width={null} />);
    const block = screen.getByTestId('column-reasoning') as HTMLDetailsElement;
    expect(block.open).toBe(false);
    expect(block.textContent).toContain('let me think');
    // A finished reply mounted during a burst of mounts may be parsed a task later (Markdown's mount budget).
    await waitFor(() => expect(screen.getByTestId('column-text').textContent).toBe('answer\n'));
  });

  it('resizes from the keyboard', () => {
    const onResize = vi.fn();
    render(<ColumnView column={column()} actions={{}} width={400} onResize={onResize} />);
    fireEvent.keyDown(screen.getByTestId('column-resize'), { key: 'ArrowRight' });
    expect(onResize).toHaveBeenCalledWith(expect.any(Number));
  });
});
