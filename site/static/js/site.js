// Progressive enhancement only: every page reads fully without this file.
// Adds a "Copy" button to each code block.
document.querySelectorAll(".code-block").forEach((figure) => {
    const code = figure.querySelector("code");
    if (!code || !navigator.clipboard) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "code-block__copy";
    button.textContent = "Copy";
    button.addEventListener("click", async () => {
        try {
            await navigator.clipboard.writeText(code.innerText);
            button.textContent = "Copied";
        } catch {
            button.textContent = "Press Ctrl+C to copy";
        }
        setTimeout(() => { button.textContent = "Copy"; }, 2000);
    });
    figure.querySelector(".code-block__language").append(button);
});
