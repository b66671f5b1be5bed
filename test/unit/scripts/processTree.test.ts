import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';

import { parseProcStat, processTreeRssBytes, ProcessTreeSampler } from '../../../scripts/lib/processTree';

describe('parseProcStat', () => {
	it('reads group, CPU ticks and RSS even when the command name has spaces and parentheses', () => {
		// Fields as in proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
		const line =
			'4242 (node (worker) x) S 1 4240 4240 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 11 0 12345 987654321 3072 18446744073709551615';
		expect(parseProcStat(line)).toEqual({ pid: 4242, parentPid: 1, processGroup: 4240, cpuTicks: 300, rssPages: 3072 });
	});
});

const onLinux = process.platform === 'linux' ? describe : describe.skip;

onLinux('ProcessTreeSampler', () => {
	it('measures the CPU time and memory of a process group, children included', async () => {
		// A group leader that idles, and a child in its group that burns 0.6 s of CPU, says so and idles.
		const burn =
			"let x = 0; while (process.cpuUsage().user < 600000) { for (let i = 0; i < 1e6; i++) x += i; } console.log('burned', x > 0); setTimeout(() => {}, 10000)";
		const script = `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(burn)}], { stdio: 'inherit' }); setTimeout(() => {}, 10000);`;
		const leader = spawn(process.execPath, ['-e', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
		try {
			const sampler = new ProcessTreeSampler(leader.pid as number, 50);
			sampler.start();
			await new Promise<void>((resolve) =>
				leader.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('burned') && resolve()),
			);
			await delay(200);
			const usage = sampler.stop();
			expect(usage.cpuSeconds).toBeGreaterThan(0.4);
			expect(usage.cpuSeconds).toBeLessThan(3);
			// Two node processes: tens of MB.
			expect(usage.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
			expect(usage.peakRssBytes).toBeGreaterThanOrEqual(usage.startRssBytes);
			expect(usage.maxProcesses).toBe(2);
			expect(usage.samples).toBeGreaterThan(3);
		} finally {
			process.kill(-(leader.pid as number), 'SIGKILL');
			await once(leader, 'exit');
		}
	}, 15_000);
});

onLinux('processTreeRssBytes', () => {
	it('counts children that left the process group (as PostgreSQL backends do)', async () => {
		const idle = 'setTimeout(() => {}, 10000)';
		const script = `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(idle)}], { detached: true, stdio: 'ignore' }); console.log('spawned'); ${idle}`;
		const leader = spawn(process.execPath, ['-e', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
		try {
			await new Promise<void>((resolve) =>
				leader.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('spawned') && resolve()),
			);
			await delay(300);
			const sampler = new ProcessTreeSampler(leader.pid as number, 1_000);
			sampler.start();
			const groupOnly = sampler.stop();
			expect(groupOnly.maxProcesses).toBe(1);
			// The detached child is a second node process: tens of MB more than the group alone.
			expect(processTreeRssBytes(leader.pid as number)).toBeGreaterThan(groupOnly.peakRssBytes + 10 * 2 ** 20);
		} finally {
			const children = execFileSync('pgrep', ['-P', String(leader.pid)], { encoding: 'utf8' })
				.trim()
				.split('\n');
			for (const child of children.filter(Boolean)) process.kill(Number(child), 'SIGKILL');
			process.kill(-(leader.pid as number), 'SIGKILL');
			await once(leader, 'exit');
		}
	}, 15_000);
});
