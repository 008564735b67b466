// portal.test.mjs - the portal in a real browser (Debian's chromium through
// playwright-core): every page visited is checked by axe-core (zero WCAG
// 2.1 A/AA violations) and saved as a screenshot; a citizen applies with
// the keyboard only, an officer processes the dossier with a supplement
// round and issues the result, another dossier is transferred between
// agencies; the read-only pages (search, procedure, scoreboard with the
// programme figures, open data) work with JavaScript disabled.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pdf, png } from '../api/lib/fixtures.mjs';
import { ACCOUNTS, useServer } from '../api/lib/server.mjs';
import { check, keyboardFileChooser, launch, loginForm, newPage, tabTo } from './lib.mjs';

const srv = useServer();
let browser;
let code; /* the dossier the citizen submits */

before(async () => {
	browser = await launch();
});
after(async () => {
	if (browser) await browser.close();
});

test('public pages: home, search with and without diacritics, procedure page, scoreboard, language switch', async () => {
	const page = await newPage(browser);
	await page.goto(srv.url + '/');
	assert.equal(await page.getAttribute('html', 'lang'), 'vi');
	await check(page, 'home');
	await page.getByRole('searchbox').fill('dang ky khai sinh');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tìm' }).click()]);
	const first = page.locator('ol.list li a').first();
	assert.equal(await first.getAttribute('href'), '/thu-tuc/1.001193');
	await check(page, 'search-without-diacritics');
	await page.getByRole('searchbox').fill('đăng ký khai sinh');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tìm' }).click()]);
	assert.equal(await page.locator('ol.list li a').first().getAttribute('href'), '/thu-tuc/1.001193');
	await Promise.all([page.waitForNavigation(), page.locator('ol.list li a').first().click()]);
	assert.equal(new URL(page.url()).pathname, '/thu-tuc/1.001193');
	await page.getByRole('heading', { level: 1, name: 'Thủ tục đăng ký khai sinh' }).waitFor();
	await page.getByRole('heading', { name: 'Thành phần hồ sơ' }).waitFor();
	await page.getByRole('heading', { name: 'Cách thức thực hiện, thời hạn và phí' }).waitFor();
	await check(page, 'procedure-1.001193');
	/* the switch is a plain link with hreflang; the choice persists */
	const sw = page.locator('a[hreflang="en"]');
	await Promise.all([page.waitForNavigation(), sw.click()]);
	assert.equal(await page.getAttribute('html', 'lang'), 'en');
	await page.getByRole('heading', { name: 'Documents' }).waitFor();
	await check(page, 'procedure-english');
	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Scoreboard' }).click()]);
	assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the language persists across pages');
	await page.getByRole('heading', { name: 'Dossier figures' }).waitFor();
	await check(page, 'scoreboard-english');
	await Promise.all([page.waitForNavigation(), page.locator('a[hreflang="vi"]').click()]);
	assert.equal(await page.getAttribute('html', 'lang'), 'vi');
	await page.context().close();
});

test('the read-only pages work with JavaScript disabled', async () => {
	const page = await newPage(browser, { javaScriptEnabled: false });
	await page.goto(srv.url + '/');
	await page.getByRole('searchbox').fill('khai tu');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tìm' }).click()]);
	const links = await page.locator('ol.list li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	assert.ok(links.includes('/thu-tuc/1.000656'), `death registration found: ${links}`);
	await Promise.all([page.waitForNavigation(), page.locator('a[href="/thu-tuc/1.000656"]').first().click()]);
	await page.getByRole('heading', { name: 'Trình tự thực hiện' }).waitFor();
	await page.goto(srv.url + '/so-lieu');
	await page.getByRole('heading', { name: 'Theo trạng thái' }).waitFor();
	await page.getByRole('table', { name: 'Chỉ tiêu của chương trình phát triển Chính phủ số đến năm 2030' }).waitFor();
	await page.getByRole('rowheader', { name: 'Thủ tục cung cấp trực tuyến toàn trình' }).waitFor();
	/* open data: the search form and the dataset page */
	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Dữ liệu mở' }).first().click()]);
	await page.getByRole('searchbox').fill('766');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tìm' }).click()]);
	assert.equal(new URL(page.url()).searchParams.get('q'), '766');
	await Promise.all([page.waitForNavigation(), page.locator('a[href="/du-lieu-mo/motcua-766-index"]').click()]);
	await page.getByRole('heading', { level: 1, name: 'Chỉ số 766 theo tỉnh và cơ quan (phần đo được)' }).waitFor();
	await page.getByRole('link', { name: /^Tải về CSV/ }).first().waitFor();
	assert.equal(await page.getByRole('link', { name: /^Tải về CSV/ }).count(), 2, 'per province and per agency');
	await page.context().close();
});

test('open data pages and the programme figures pass axe-core, in both languages', async () => {
	const page = await newPage(browser);
	await page.goto(srv.url + '/');
	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Dữ liệu mở' }).first().click()]);
	assert.equal(new URL(page.url()).pathname, '/du-lieu-mo');
	await page.getByRole('heading', { level: 1, name: 'Dữ liệu mở' }).waitFor();
	await check(page, 'opendata-list');
	await page.getByRole('searchbox').fill('thu tuc');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tìm' }).click()]);
	await check(page, 'opendata-search');
	await Promise.all([page.waitForNavigation(), page.locator('a[href="/du-lieu-mo/motcua-procedure-catalog"]').click()]);
	await page.getByRole('heading', { name: 'Tài nguyên' }).waitFor();
	const dl = await page.locator('a.button[href$="/download"]').first().getAttribute('href');
	assert.match(dl, /^\/api\/v1\/opendata\/resources\/[0-9a-f-]+\/download$/);
	await check(page, 'opendata-dataset');
	await Promise.all([page.waitForNavigation(), page.locator('a[hreflang="en"]').click()]);
	await page.getByRole('heading', { name: 'Resources' }).waitFor();
	await check(page, 'opendata-dataset-english');
	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Scoreboard' }).click()]);
	await page.getByRole('table', { name: 'Targets of the programme for digital government to 2030' }).waitFor();
	await page.getByRole('heading', { name: 'Decision 766 index per province' }).waitFor();
	await check(page, 'scoreboard-figures-english');
	await Promise.all([page.waitForNavigation(), page.locator('a[hreflang="vi"]').click()]);
	await page.getByRole('table', { name: 'Số thủ tục theo cấp thực hiện và mức độ trực tuyến' }).waitFor();
	await check(page, 'scoreboard-figures');
	await page.context().close();
});

test('a citizen applies for birth registration with the keyboard only and gets a receipt', async () => {
	const page = await newPage(browser);
	await page.goto(srv.url + '/thu-tuc/1.001193');
	await tabTo(page, 'a', 'Nộp hồ sơ trực tuyến');
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	/* not logged in: the login form, then back to the wizard */
	assert.equal(new URL(page.url()).pathname, '/dang-nhap');
	await check(page, 'login');
	await tabTo(page, 'input', 'Tên đăng nhập');
	await page.keyboard.type('citizen');
	await page.keyboard.press('Tab');
	await page.keyboard.type(ACCOUNTS.citizen);
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	assert.equal(new URL(page.url()).pathname, '/nop/1.001193');
	await check(page, 'apply-1-office');
	/* step 1: the office, found by name */
	await tabTo(page, 'input[name="find"]');
	await page.keyboard.type('Ba Đình');
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	await tabTo(page, 'input[type="radio"]');
	for (let i = 0; i < 20; i++) {
		const v = await page.evaluate(() => document.activeElement.value);
		if (v === 'UBND-00004') break;
		await page.keyboard.press('ArrowDown');
	}
	assert.equal(await page.evaluate(() => document.activeElement.value), 'UBND-00004');
	await check(page, 'apply-1-office-found');
	await tabTo(page, 'button', 'Tiếp tục');
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	/* step 2: the applicant, personal number pre-filled from the account */
	await page.getByRole('group', { name: 'Người nộp hồ sơ' }).waitFor();
	assert.equal(await page.inputValue('input[name="f:applicant.person_id"]'), '001090012345');
	await check(page, 'apply-2-applicant');
	await tabTo(page, 'input', 'Họ, chữ đệm và tên');
	await page.keyboard.type('Nguyễn Văn An');
	await tabTo(page, 'input', 'Ngày, tháng, năm sinh');
	await page.keyboard.type('1990-05-17');
	await tabTo(page, 'input[name="f:applicant.address.commune_code"]');
	await page.keyboard.type('00004');
	await tabTo(page, 'button', 'Tiếp tục');
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	/* step 3: the child; a wrong date is refused with the reason, on the same step */
	await page.getByRole('group', { name: 'Người được khai sinh' }).waitFor();
	await tabTo(page, 'input', 'Họ, chữ đệm và tên');
	await page.keyboard.type('Nguyễn Minh Khôi');
	await tabTo(page, 'input', 'Ngày, tháng, năm sinh');
	await page.keyboard.type('2026-02-30');
	await tabTo(page, 'select');
	await page.keyboard.press('ArrowDown');
	await tabTo(page, 'input', 'Nơi sinh');
	await page.keyboard.type('Bệnh viện Phụ sản Hà Nội');
	await tabTo(page, 'button', 'Tiếp tục');
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	await page.getByRole('alert').waitFor();
	await check(page, 'apply-3-child-error');
	await tabTo(page, 'input', 'Ngày, tháng, năm sinh');
	await page.keyboard.press('Control+A');
	await page.keyboard.type('2026-02-20');
	await tabTo(page, 'button', 'Tiếp tục');
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	/* optional questions (father, mother, relationship, note): continue */
	for (let i = 0; i < 4; i++) {
		if (await page.locator('input[type="file"]').count()) break;
		await check(page, `apply-optional-${i + 1}`);
		await tabTo(page, 'button', 'Tiếp tục');
		await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	}
	/* documents: the national database stands for the identity card
	 * (registry), the rest is uploaded; a file chosen from the keyboard */
	assert.match(await page.textContent('main'), /Không cần nộp: cơ quan lấy thông tin này từ cơ sở dữ liệu quốc gia/);
	await check(page, 'apply-documents');
	await tabTo(page, 'input[type="file"]');
	const chooser = await keyboardFileChooser(page);
	await chooser.setFiles({ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: pdf('giay chung sinh') });
	await tabTo(page, 'button', 'Tiếp tục');
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	/* review, submit */
	await page.getByRole('heading', { name: 'Kiểm tra lại trước khi nộp' }).waitFor();
	assert.match(await page.textContent('main'), /Nguyễn Minh Khôi/);
	assert.match(await page.textContent('main'), /UBND-00004/);
	await check(page, 'apply-review');
	await tabTo(page, 'button', 'Nộp hồ sơ');
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	const url = new URL(page.url());
	assert.match(url.pathname, /^\/ho-so\/UBND-00004-\d{6}-\d{4}$/);
	code = decodeURIComponent(url.pathname.split('/')[2]);
	const receipt = await page.locator('.receipt').textContent();
	assert.ok(receipt.includes(code), 'the receipt shows the dossier code');
	assert.match(receipt, /\d{2}\/\d{2}\/\d{4}/, 'the receipt shows the expected due date');
	await check(page, 'apply-receipt');
	/* my dossiers lists it */
	await page.goto(srv.url + '/ho-so');
	assert.ok((await page.textContent('main')).includes(code));
	await check(page, 'citizen-my-dossiers');
	/* my vault: results issued to me, with QR codes */
	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Kho dữ liệu' }).click()]);
	await page.getByRole('heading', { level: 1, name: 'Kho dữ liệu của tôi' }).waitFor();
	assert.ok((await page.locator('img.qr').count()) >= 1, 'results in the vault show their QR code');
	await check(page, 'citizen-vault');
	await page.context().close();
});

test('a citizen applies for a passport with the birth certificate from the vault instead of an upload', async () => {
	const page = await newPage(browser);
	await loginForm(page, srv.url, 'citizen', ACCOUNTS.citizen);
	await page.goto(srv.url + '/nop/1.001456');
	await page.getByLabel('Tên xã, phường hoặc tỉnh').fill('Hà Nội');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tìm cơ quan' }).click()]);
	await page.check('input[name="pick"][value="UBND-01"]');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tiếp tục' }).click()]);
	await page.getByLabel(/Họ, chữ đệm và tên/).fill('Nguyễn Văn An');
	await page.getByLabel(/Ngày, tháng, năm sinh/).fill('1990-05-17');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tiếp tục' }).click()]);
	for (let i = 0; i < 3 && !(await page.locator('input[type="file"]').count()); i++) {
		const reason = page.locator('select[name="f:reason"]');
		if (await reason.count()) await reason.selectOption({ label: 'Cấp lần đầu' });
		await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tiếp tục' }).click()]);
	}
	const choice = page.locator('input[name="item_c6"]:not([value=""])').first();
	assert.ok(await choice.count(), 'the birth certificate in the vault is offered');
	await choice.check();
	await check(page, 'apply-vault-choice');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tiếp tục' }).click()]);
	assert.match(await page.textContent('main'), /từ kho dữ liệu/);
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Nộp hồ sơ' }).click()]);
	assert.match(new URL(page.url()).pathname, /^\/ho-so\/UBND-01-\d{6}-\d{4}$/);
	const rows = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
	assert.ok(rows.some((r) => r.includes('Kho dữ liệu')), `a component satisfied from the vault: ${rows.join(' | ')}`);
	assert.ok(rows.some((r) => r.includes('Tờ khai')), 'the declaration is satisfied by the form');
	await check(page, 'apply-vault-receipt');
	await page.context().close();
});

test('an officer receives, asks for a supplement, the citizen supplements, the officer issues the signed result, the public verifies it', async () => {
	assert.ok(code, 'the application test ran first');
	const officer = await newPage(browser);
	await loginForm(officer, srv.url, 'officer', ACCOUNTS.officer);
	await officer.goto(srv.url + '/ho-so');
	await check(officer, 'officer-queue');
	await Promise.all([officer.waitForNavigation(), officer.locator(`a[href="/ho-so/${code}"]`).click()]);
	await check(officer, 'officer-dossier-submitted');
	await Promise.all([officer.waitForNavigation(), officer.getByRole('button', { name: 'Tiếp nhận' }).click()]);
	await officer.getByRole('status').waitFor();
	assert.match(await officer.textContent('main'), /Được tiếp nhận/);
	await check(officer, 'officer-received');
	/* the supplement checklist */
	await officer.locator('summary', { hasText: 'Yêu cầu bổ sung' }).click();
	const box = officer.locator('input[name="item"]').first();
	const component = await box.getAttribute('value');
	await box.check();
	await officer.fill(`input[name="note_${component}"]`, 'Bản chụp không rõ nét');
	await check(officer, 'officer-supplement-checklist');
	await Promise.all([officer.waitForNavigation(), officer.getByRole('button', { name: 'Yêu cầu bổ sung' }).click()]);
	assert.match(await officer.textContent('main'), /Bản chụp không rõ nét/);
	await check(officer, 'officer-supplement-requested');

	const citizen = await newPage(browser);
	await loginForm(citizen, srv.url, 'citizen', ACCOUNTS.citizen);
	await citizen.goto(`${srv.url}/ho-so/${code}`);
	await citizen.locator('.notice').waitFor();
	await check(citizen, 'citizen-supplement-asked');
	await citizen.locator('summary', { hasText: 'Bổ sung hồ sơ' }).click();
	await citizen.setInputFiles(`input[name="file_${component}"]`, { name: 'ban-chup-ro.png', mimeType: 'image/png', buffer: png(8, 8, 7) });
	await Promise.all([citizen.waitForNavigation(), citizen.getByRole('button', { name: 'Bổ sung hồ sơ' }).click()]);
	assert.match(await citizen.textContent('main'), /Được tiếp nhận/, 'back to received after the supplement');
	await check(citizen, 'citizen-supplemented');

	await officer.goto(`${srv.url}/ho-so/${code}`);
	await Promise.all([officer.waitForNavigation(), officer.getByRole('button', { name: 'Chuyển xử lý' }).click()]);
	assert.match(await officer.textContent('main'), /Đang xử lý/);
	await officer.locator('summary', { hasText: 'Hoàn thành, cấp kết quả' }).click();
	await officer.getByLabel('Số, ký hiệu văn bản kết quả').fill('123/2026/GKS');
	await officer.getByLabel('Nội dung kết quả').fill('Giấy khai sinh cho Nguyễn Minh Khôi');
	await check(officer, 'officer-finish-form');
	await Promise.all([officer.waitForNavigation(), officer.getByRole('button', { name: 'Hoàn thành, cấp kết quả' }).click()]);
	assert.match(await officer.textContent('main'), /Đã xử lý xong/);
	await check(officer, 'officer-finished');
	await Promise.all([officer.waitForNavigation(), officer.getByRole('button', { name: 'Trả kết quả' }).click()]);
	assert.match(await officer.textContent('main'), /Đã trả kết quả/);

	await citizen.goto(`${srv.url}/ho-so/${code}`);
	const main = await citizen.textContent('main');
	assert.match(main, /123\/2026\/GKS/, 'the citizen sees the result');
	for (const step of ['Nộp hồ sơ', 'Tiếp nhận', 'Yêu cầu bổ sung', 'Bổ sung hồ sơ', 'Chuyển xử lý', 'Hoàn thành, cấp kết quả', 'Trả kết quả'])
		assert.ok(main.includes(step), `timeline has ${step}`);
	/* the signed result, with its QR code */
	const rid = (await citizen.locator('.rid').textContent()).trim();
	assert.match(rid, /^[0-9a-f]{32}$/);
	const qr = citizen.locator('img.qr');
	assert.equal(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), true, 'the QR code loads');
	await check(citizen, 'citizen-result');
	await citizen.context().close();
	await officer.context().close();

	/* the public verifies it: by typing the id, then through the QR link */
	const pub = await newPage(browser);
	await pub.goto(srv.url + '/');
	await Promise.all([pub.waitForNavigation(), pub.getByRole('link', { name: 'Xác thực giấy tờ' }).click()]);
	await check(pub, 'public-verify-form');
	await pub.getByLabel(/Mã kết quả/).fill(rid);
	await Promise.all([pub.waitForNavigation(), pub.getByRole('button', { name: 'Xác thực' }).click()]);
	const verdict = await pub.locator('.verdict').textContent();
	assert.match(verdict, /Hợp lệ/);
	assert.ok(verdict.includes(code), 'the verdict names the dossier');
	assert.ok(!verdict.includes('001090012345'), 'no personal number on the public page');
	await check(pub, 'public-verify-valid');
	await pub.goto(`${srv.url}/xac-thuc?id=${'0'.repeat(32)}`);
	await pub.getByRole('alert').waitFor();
	await check(pub, 'public-verify-unknown');
	await pub.goto(`${srv.url}/verify/${rid}`);
	assert.match(await pub.textContent('body'), /UBND-00004/);
	await check(pub, 'public-qr-link');
	await pub.context().close();
});

test('an officer transfers a dossier in processing; the other agency finds it in its queue', async () => {
	const officer = await newPage(browser);
	await loginForm(officer, srv.url, 'officer', ACCOUNTS.officer);
	await officer.goto(srv.url + '/ho-so?status=4');
	const link = officer.locator('tbody a').first();
	const target = (await link.textContent()).trim();
	await Promise.all([officer.waitForNavigation(), link.click()]);
	await officer.locator('summary', { hasText: 'Chuyển cơ quan khác' }).click();
	await officer.getByLabel(/Mã cơ quan nhận/).fill('UBND-00008');
	await officer.locator('#tr-reason').fill('Liên thông theo thẩm quyền');
	await check(officer, 'officer-transfer-form');
	await Promise.all([officer.waitForNavigation(), officer.getByRole('button', { name: 'Chuyển cơ quan khác' }).click()]);
	assert.match(await officer.textContent('main'), /UBND-00008/);
	const other = await newPage(browser);
	await loginForm(other, srv.url, 'officer2', ACCOUNTS.officer2);
	await other.goto(srv.url + '/ho-so');
	assert.ok((await other.textContent('main')).includes(target), 'the new agency sees the dossier');
	await check(other, 'officer2-queue');
	await officer.context().close();
	await other.context().close();
});

test('a wrong action shows the reasons on the page; anonymous visitors of private pages go to the login form', async () => {
	const page = await newPage(browser);
	await page.goto(srv.url + '/ho-so');
	assert.equal(new URL(page.url()).pathname, '/dang-nhap');
	await loginForm(page, srv.url, 'officer', ACCOUNTS.officer);
	await page.goto(srv.url + '/ho-so?status=1');
	const link = page.locator('tbody a').first();
	await Promise.all([page.waitForNavigation(), link.click()]);
	await page.locator('summary', { hasText: 'Từ chối tiếp nhận' }).click();
	/* a reason made of spaces passes the browser's required check, not the server's */
	await page.locator('#refuse-reason').fill('   ');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Từ chối tiếp nhận' }).click()]);
	await page.getByRole('alert').waitFor();
	await check(page, 'officer-action-refused');
	await page.context().close();
});
