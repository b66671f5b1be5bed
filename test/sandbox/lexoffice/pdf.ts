/**
 * A minimal but valid one-page PDF 1.4 (Helvetica, WinAnsi) with a few lines of text, built in
 * code so the sandbox needs no files. The xref offsets are computed, so PDF readers accept it.
 */
export function renderPdf(lines: string[]): Buffer {
	const text = lines
		.map((line, index) => `BT /F1 ${index === 0 ? 16 : 11} Tf 56 ${780 - index * 22} Td (${pdfString(line)}) Tj ET`)
		.join('\n');
	const stream = Buffer.from(text, 'latin1');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
		`<< /Length ${stream.length} >>\nstream\n${stream.toString('latin1')}\nendstream`,
	];
	let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
	const offsets: number[] = [];
	objects.forEach((object, index) => {
		offsets.push(Buffer.byteLength(body, 'latin1'));
		body += `${index + 1} 0 obj\n${object}\nendobj\n`;
	});
	const xrefOffset = Buffer.byteLength(body, 'latin1');
	body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
	body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
	return Buffer.from(body, 'latin1');
}

/** Escapes PDF string delimiters; characters outside Latin-1 (WinAnsi) become '?'. */
function pdfString(value: string): string {
	return value.replace(/[\\()]/g, '\\$&').replace(/[^\x20-\xff]/g, '?');
}
