/** Placeholder shell until the web-app issue builds the real screens. */
export function App() {
  return (
    <main>
      <h1>QueueMed</h1>
      <p>The open patient-queue system for clinics.</p>
    </main>
  );
}
